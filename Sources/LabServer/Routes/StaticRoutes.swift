import Hummingbird

/// The stylesheet, a landing page and a health check.
struct StaticRoutes {
    let service: IntakeService

    func add(to router: Router<IntakeRequestContext>) {
        router.get("/static/style.css") { _, _ in
            Responses.text(StyleSheet.css, contentType: "text/css; charset=utf-8", headers: [.cacheControl: "public, max-age=3600"])
        }
        router.get("/") { _, _ in
            Responses.html(MessagePage(title: "labctl intake",
                                       message: "Participants: open the join link your trainer gave you. Trainers: the dashboard is at /admin.").render())
        }
        // Answers once the database is open and the server is listening (used by scripts and tests).
        router.get("/healthz") { _, _ in Responses.text("ok\n") }
    }
}
