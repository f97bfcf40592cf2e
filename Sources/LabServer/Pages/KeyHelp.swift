/// How to make and show an ed25519 key on each system; shared by the join and personal pages.
enum KeyHelp {
    static let instructions: HTML = """
    <details open>
    <summary>How do I get my public key?</summary>
    <p><strong>Linux or macOS</strong> (Terminal):</p>
    <pre>ssh-keygen -t ed25519 -C "first.last"
    cat ~/.ssh/id_ed25519.pub</pre>
    <p><strong>Windows 10/11</strong> (PowerShell):</p>
    <pre>ssh-keygen -t ed25519 -C "first.last"
    Get-Content $env:USERPROFILE\\.ssh\\id_ed25519.pub</pre>
    <p>Press Enter to accept the default file; a passphrase is recommended.
    Paste the one line that starts with <code>ssh-ed25519</code>, or upload the file
    ending in <code>.pub</code>. Never send the file without <code>.pub</code>: that is your private key.</p>
    </details>
    """

    /// The key fields of a submission form (paste or upload).
    static let keyFields: HTML = """
    <label for="public_key">Public key (paste)</label>
    <textarea id="public_key" name="public_key" rows="4" spellcheck="false" autocomplete="off" placeholder="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA… first.last"></textarea>
    <label for="key_file">…or upload your <code>.pub</code> file</label>
    <input id="key_file" name="key_file" type="file" accept=".pub,text/plain">
    """
}
