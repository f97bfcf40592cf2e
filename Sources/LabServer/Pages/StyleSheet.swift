/// The one stylesheet, served from `/static/style.css` (the CSP allows styles from self only).
enum StyleSheet {
    static let css = """
    :root { --fg:#1d2330; --muted:#5b6475; --line:#d9dee7; --accent:#2457c5; --bad:#b3261e; --good:#1e7d32; }
    * { box-sizing: border-box; }
    body { margin:0; font:16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--fg); background:#f6f7f9; }
    header { background:#1d2330; color:#fff; padding:.6rem 1.2rem; display:flex; gap:1.2rem; align-items:center; }
    header a, header button.link { color:#fff; }
    .brand { font-weight:700; letter-spacing:.03em; }
    main { max-width:60rem; margin:1.5rem auto; background:#fff; padding:1.5rem 2rem; border:1px solid var(--line); border-radius:6px; }
    h1 { margin-top:0; font-size:1.6rem; }
    label { display:block; font-weight:600; margin-top:1rem; }
    input[type=text], input[type=email], input[type=password], textarea { width:100%; padding:.5rem; border:1px solid var(--line); border-radius:4px; font:inherit; }
    textarea { font-family: ui-monospace, monospace; font-size:.85rem; min-height:6rem; }
    input[type=file] { display:block; margin-top:.3rem; }
    button { margin-top:1rem; padding:.5rem 1.2rem; border:0; border-radius:4px; background:var(--accent); color:#fff; font:inherit; cursor:pointer; }
    button.danger { background:var(--bad); }
    button.small { margin:0; padding:.2rem .6rem; font-size:.85rem; }
    button.link { background:none; padding:0; margin:0; text-decoration:underline; }
    form.inline { display:inline; }
    code, pre { font-family: ui-monospace, monospace; background:#eef1f6; border-radius:3px; }
    code { padding:.1rem .3rem; }
    pre { padding:.6rem; overflow-x:auto; }
    table { border-collapse:collapse; width:100%; margin:1rem 0; font-size:.92rem; }
    th, td { text-align:left; padding:.35rem .5rem; border-bottom:1px solid var(--line); vertical-align:top; }
    .muted { color:var(--muted); }
    .notice { padding:.6rem .8rem; border-radius:4px; }
    .notice.error { background:#fdecea; color:var(--bad); }
    .notice.ok { background:#e7f4ea; color:var(--good); }
    .state-open { color:var(--good); font-weight:600; }
    .state-closed { color:var(--bad); font-weight:600; }
    details { margin:.4rem 0; }
    .fingerprint { font-family: ui-monospace, monospace; word-break:break-all; }
    """
}
