import Foundation

/// The page frame every HTML response shares: no inline script or style, so
/// the Content-Security-Policy can forbid both.
enum Layout {
    /// `refresh`: seconds after which the browser reloads the page (no script needed).
    static func page(title: String, heading: String? = nil, nav: HTML = "", refresh: Int? = nil, _ body: HTML) -> HTML {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="same-origin">
        \(refresh.map { "<meta http-equiv=\"refresh\" content=\"\($0)\">" as HTML } ?? "")
        <title>\(title) · labctl</title>
        <link rel="stylesheet" href="/static/style.css">
        </head>
        <body>
        <header><span class="brand">labctl</span>\(nav)</header>
        <main>
        <h1>\(heading ?? title)</h1>
        \(body)
        </main>
        </body>
        </html>
        """
    }

    /// A red box with a message, or nothing.
    static func notice(_ message: String?, kind: String = "error") -> HTML {
        guard let message, !message.isEmpty else { return "" }
        return "<p class=\"notice \(kind)\" role=\"alert\">\(message)</p>"
    }

    static func date(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}
