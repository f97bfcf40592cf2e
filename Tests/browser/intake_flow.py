#!/usr/bin/env python3
"""Drives headless Chromium through the intake service like a person would,
over the DevTools protocol (websocket-client): the join form with a .pub file
upload, the personal page, the trainer login and the dashboard. Writes PNG
screenshots to OUT and prints one JSON object with what the pages showed.

Usage: intake_flow.py BASE_URL JOIN_CODE PUB_FILE ADMIN_TOKEN SESSION OUT
Traffic goes only to BASE_URL (loopback). Chromium is stopped on every exit path.
"""
import base64, json, os, re, shutil, subprocess, sys, tempfile, threading, time, urllib.request

import websocket

base, code, pub_file, admin_token, session, out = sys.argv[1:7]
os.makedirs(out, exist_ok=True)
profile = tempfile.mkdtemp(prefix="labctl-chromium-")
browser = shutil.which("chromium") or shutil.which("chromium-browser")
if not browser:
    sys.exit("chromium is not installed (scripts/setup.sh installs it)")
args = [browser, "--headless=new", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
        "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1", f"--user-data-dir={profile}",
        "--window-size=1100,1400", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--metrics-recording-only", "about:blank"]
if os.geteuid() == 0:
    args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def deadline(seconds):
    end = time.monotonic() + seconds
    return lambda: time.monotonic() < end


class Page:
    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == my_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_event(self, name, seconds=30):
        alive = deadline(seconds)
        while alive():
            for i, event in enumerate(self.events):
                if event.get("method") == name:
                    del self.events[: i + 1]
                    return event
            self.events.append(json.loads(self.ws.recv()))
        raise TimeoutError(name)

    def navigate(self, url):
        self.events.clear()
        self.call("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired")

    def js(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def submit(self, form_selector):
        """Clicks the form's submit button and waits for the next page."""
        self.events.clear()
        self.js(f"document.querySelector({json.dumps(form_selector)}).querySelector('button[type=submit]').click()")
        self.wait_event("Page.loadEventFired")

    def screenshot(self, name):
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        path = os.path.join(out, name)
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        return path


try:
    # Chromium announces its DevTools endpoint on stderr; read until it does, then keep draining.
    devtools_port = None
    for line in proc.stderr:
        match = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
        if match:
            devtools_port = match.group(1)
            break
    if not devtools_port:
        sys.exit("chromium exited before it listened")
    threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
    targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{devtools_port}/json/list"))
    page = Page(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"])
    page.call("Page.enable")
    page.call("Runtime.enable")
    result = {"screenshots": []}

    # 1. The join form: type the names, upload the .pub file, submit.
    page.navigate(f"{base}/join/{code}")
    result["join_title"] = page.js("document.title")
    page.js("""(() => {
        const set = (id, v) => { const e = document.getElementById(id); e.value = v; e.dispatchEvent(new Event('input')); };
        set('first_name', 'Zoë'); set('last_name', 'Müller-Lüdenscheidt'); set('email', 'zoe@example.org');
    })()""")
    document = page.call("DOM.getDocument")
    node = page.call("DOM.querySelector", nodeId=document["root"]["nodeId"], selector="#key_file")["nodeId"]
    page.call("DOM.setFileInputFiles", files=[os.path.abspath(pub_file)], nodeId=node)
    result["uploaded"] = page.js("document.getElementById('key_file').files.length")
    result["screenshots"].append(page.screenshot("01-join-form.png"))
    page.submit("#join-form")

    # 2. The personal page it lands on.
    result["personal_path"] = page.js("location.pathname")
    result["fingerprint"] = page.js("document.getElementById('fingerprint')?.textContent")
    result["discrete_id"] = page.js("document.getElementById('discrete-id')?.textContent")
    result["personal_link"] = page.js("document.getElementById('personal-link')?.textContent")
    result["screenshots"].append(page.screenshot("02-personal-page.png"))

    # 3. The trainer logs in and opens the session.
    page.navigate(f"{base}/admin")
    result["login_path"] = page.js("location.pathname")
    page.js(f"document.getElementById('token').value = {json.dumps(admin_token)}")
    page.submit("#login-form")
    result["after_login_path"] = page.js("location.pathname")
    result["sessions_table"] = page.js("document.getElementById('sessions')?.innerText")
    result["screenshots"].append(page.screenshot("03-admin-sessions.png"))
    page.navigate(f"{base}/admin/sessions/{session}")
    result["admin_title"] = page.js("document.title")
    result["participants_table"] = page.js("document.getElementById('participants')?.innerText")
    result["scripts_in_table"] = page.js("document.querySelectorAll('#participants script, #participants img').length")
    result["pwned"] = page.js("window.__pwned === true")
    result["screenshots"].append(page.screenshot("04-admin-session.png"))
    print(json.dumps(result))
finally:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    shutil.rmtree(profile, ignore_errors=True)
