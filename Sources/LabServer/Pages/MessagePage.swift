/// A page that only says something: not found, closed, rate limited, an error.
struct MessagePage {
    var title: String
    var message: String
    var nav: HTML = ""

    func render() -> HTML {
        Layout.page(title: title, nav: nav, "<p>\(message)</p>")
    }
}
