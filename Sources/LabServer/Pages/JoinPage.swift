/// `GET /join/<code>`: the participant's form, and the same form again with a
/// message when a submission was refused (names kept, the key field never:
/// it may have held a private key).
struct JoinPage {
    var session: String
    var code: String
    var csrf: String
    var firstName = ""
    var lastName = ""
    var email = ""
    var error: String?

    func render() -> HTML {
        Layout.page(title: "Join \(session)", heading: "Join the lab: \(session)", """
        <p>Register your SSH public key for this training session. Your cluster will only accept this key.</p>
        \(Layout.notice(error))
        <form method="post" action="/join/\(code)" enctype="multipart/form-data" id="join-form">
        <input type="hidden" name="csrf" value="\(csrf)">
        <label for="first_name">First name</label>
        <input id="first_name" name="first_name" type="text" required maxlength="100" autocomplete="given-name" value="\(firstName)">
        <label for="last_name">Last name</label>
        <input id="last_name" name="last_name" type="text" required maxlength="100" autocomplete="family-name" value="\(lastName)">
        <label for="email">Email <span class="muted">(optional, for your connection sheet)</span></label>
        <input id="email" name="email" type="email" maxlength="254" autocomplete="email" value="\(email)">
        \(KeyHelp.keyFields)
        <button type="submit">Register my key</button>
        </form>
        \(KeyHelp.instructions)
        """)
    }
}
