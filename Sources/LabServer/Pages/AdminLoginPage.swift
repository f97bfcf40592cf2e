/// `GET /admin/login`: the trainer enters the admin token.
struct AdminLoginPage {
    var csrf: String
    var error: String?

    func render() -> HTML {
        Layout.page(title: "Trainer login", """
        \(Layout.notice(error))
        <form method="post" action="/admin/login" id="login-form">
        <input type="hidden" name="csrf" value="\(csrf)">
        <label for="token">Admin token</label>
        <input id="token" name="token" type="password" required autocomplete="current-password">
        <button type="submit">Log in</button>
        </form>
        <p class="muted">The token was printed once by the first <code>labctl serve</code>, or is the value of
        <code>LABCTL_ADMIN_TOKEN</code>. Lost it? Restart with <code>labctl serve --new-admin-token</code>.</p>
        """)
    }
}
