/// The dashboard's header links and the logout button (a CSRF-protected form).
enum AdminNav {
    static func bar(csrf: String) -> HTML {
        """
        <a href="/admin">Sessions</a>
        <form class="inline" method="post" action="/admin/logout"><input type="hidden" name="csrf" value="\(csrf)"><button class="link" type="submit">Log out</button></form>
        """
    }
}
