import Foundation
import Hummingbird
import LabCore
import LabStore

/// The trainer's dashboard (HTML): login with the admin token, sessions with
/// counts and state, a session's participants (remove one), intake open/close,
/// key export, deployment and verification status, cost. Every form carries
/// the login's CSRF token.
struct AdminRoutes {
    typealias Context = IntakeRequestContext
    let service: IntakeService

    func add(to router: Router<Context>) {
        router.get("/admin/login", use: loginPage)
        router.group().add(middleware: RateLimitMiddleware(limiter: service.loginLimiter)).post("/admin/login", use: login)
        let admin = router.group("/admin").add(middleware: AdminSessionMiddleware(service: service))
        admin.get("", use: sessions)
        admin.post("/logout", use: logout)
        admin.post("/open", use: openFromList)
        admin.get("/sessions/:session", use: session)
        admin.get("/sessions/:session/keys", use: keys)
        admin.post("/sessions/:session/open", use: open)
        admin.post("/sessions/:session/close", use: close)
        admin.post("/sessions/:session/export", use: export)
        admin.post("/sessions/:session/participants/:name/remove", use: remove)
        admin.post("/sessions/:session/remove-burst", use: removeBurst)
    }

    // MARK: Login

    @Sendable func loginPage(_ request: Request, context: Context) async throws -> Response {
        let (csrf, cookie) = service.forms.token(for: request, context)
        var response = Responses.html(AdminLoginPage(csrf: csrf).render())
        if let cookie { response.setCookie(cookie) }
        return response
    }

    @Sendable func login(_ request: Request, context: Context) async throws -> Response {
        let fields = try await FormFields.read(request)
        try service.forms.verifyDoubleSubmit(request, context, formToken: fields["csrf"])
        guard let token = fields["token"], service.isAdminToken(token.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            return Responses.html(AdminLoginPage(csrf: fields["csrf"] ?? "", error: "That is not the admin token.").render(), status: .unauthorized)
        }
        let cookieValue = SecretToken.generate()
        try await service.registry.createAdminLogin(AdminLoginRecord(
            digest: AdminLoginKey.digest(cookie: cookieValue.value, adminTokenDigest: service.adminTokenDigest), csrfToken: SecretToken.generate(byteCount: 24).value,
            lifetime: service.settings.loginLifetime))
        var response = Responses.redirect(to: "/admin")
        response.setCookie(Cookie(name: AdminSessionMiddleware.cookieName, value: cookieValue.value,
                                  maxAge: Int(service.settings.loginLifetime), path: "/",
                                  secure: context.isHTTPS, httpOnly: true, sameSite: .strict))
        return response
    }

    @Sendable func logout(_ request: Request, context: Context) async throws -> Response {
        try await checkForm(request, context)
        if let value = request.cookies[AdminSessionMiddleware.cookieName]?.value {
            try await service.registry.deleteAdminLogin(digest: AdminLoginKey.digest(cookie: value, adminTokenDigest: service.adminTokenDigest))
        }
        var response = Responses.redirect(to: "/admin/login")
        response.setCookie(Cookie(name: AdminSessionMiddleware.cookieName, value: "", maxAge: 0, path: "/",
                                  secure: context.isHTTPS, httpOnly: true, sameSite: .strict))
        return response
    }

    /// Reads and CSRF-checks a dashboard form.
    @discardableResult
    func checkForm(_ request: Request, _ context: Context) async throws -> FormFields {
        let fields = try await FormFields.read(request)
        try service.forms.verify(request, context, formToken: fields["csrf"], expected: context.adminCSRF)
        return fields
    }

    // MARK: Pages

    @Sendable func sessions(_ request: Request, context: Context) async throws -> Response {
        let rows = try await SessionOverview(service: service).summaries()
        return Responses.html(AdminSessionsPage(rows: rows, csrf: context.adminCSRF ?? "",
                                                notice: request.uri.queryParameters["error"].flatMap { Self.errors[String($0)] },
                                                podPool: try PodPoolSummary(registry: service.registry)).render())
    }

    @Sendable func session(_ request: Request, context: Context) async throws -> Response {
        let name = try context.parameters.require("session")
        guard let d = try SessionOverview(service: service).detail(name) else { throw IntakeHTTPError.notFound }
        let query = request.uri.queryParameters
        let page = AdminSessionPage(detail: d, csrf: context.adminCSRF ?? "", notice: query["done"].flatMap { Self.notices[String($0)] },
                                    error: query["error"].flatMap { Self.errors[String($0)] })
        return Responses.html(page.render())
    }

    @Sendable func keys(_ request: Request, context: Context) async throws -> Response {
        let name = try context.parameters.require("session")
        guard let d = try SessionOverview(service: service).detail(name) else { throw IntakeHTTPError.notFound }
        return Responses.text(SessionOverview.keysText(d.participants),
                              headers: [.contentDisposition: "attachment; filename=\"\(d.session)-keys.txt\""])
    }

    // MARK: Actions (POST, CSRF-checked, answered with a redirect)

    /// Outcomes shown after a redirect. Only these fixed codes travel in the
    /// query string, so nobody can put their own text on a dashboard page.
    static let notices: [String: String] = [
        "opened": "Intake is open.",
        "rotated": "New join link: the old one no longer works.",
        "closed": "Intake is closed: the join link no longer works.",
        "removed": "Participant removed; their pod network is free again.",
        "exported": "Keys written to participants/<session>/ in the lab directory.",
        "burst-removed": "Everyone registered in that window was removed; their pod networks are free again.",
    ]
    static let errors: [String: String] = [
        "no-such-participant": "That participant is not in this session (removed already?).",
        "no-root": "This server was started without a lab directory (--root); download the keys instead.",
        "bad-session-name": "Session names use 1–40 lower-case letters, digits and inner hyphens (e.g. session-1).",
        "bad-burst-window": "That window cannot be read: give times as in the Joined column or as 2026-12-04 10:15 (server time), the first earlier than the second.",
        "empty-burst-window": "Nobody registered in that window; nothing was removed.",
    ]

    func back(_ session: String, done: String? = nil, error: String? = nil) -> Response {
        var query = ""
        if let done { query = "?done=" + done }
        if let error { query = "?error=" + error }
        return Responses.redirect(to: "/admin/sessions/\(session)\(query)")
    }

    @Sendable func openFromList(_ request: Request, context: Context) async throws -> Response {
        let fields = try await checkForm(request, context)
        let name = (fields["session"] ?? "").trimmingCharacters(in: .whitespaces)
        do { try SessionName.validate(name) } catch {
            return Responses.redirect(to: "/admin?error=bad-session-name")
        }
        try service.registry.openIntake(session: name, via: .admin)
        service.joinCodes.invalidate()
        return back(name, done: "opened")
    }

    @Sendable func open(_ request: Request, context: Context) async throws -> Response {
        let name = try context.parameters.require("session")
        let fields = try await checkForm(request, context)
        guard try SessionOverview(service: service).detail(name) != nil else { throw IntakeHTTPError.notFound }
        let rotate = fields["rotate"] == "1"
        try service.registry.openIntake(session: name, rotate: rotate, via: .admin)
        service.joinCodes.invalidate()
        return back(name, done: rotate ? "rotated" : "opened")
    }

    @Sendable func close(_ request: Request, context: Context) async throws -> Response {
        let name = try context.parameters.require("session")
        try await checkForm(request, context)
        try service.registry.closeIntake(session: name, via: .admin)
        service.joinCodes.invalidate()
        return back(name, done: "closed")
    }

    @Sendable func remove(_ request: Request, context: Context) async throws -> Response {
        let name = try context.parameters.require("session")
        let participant = try context.parameters.require("name")
        try await checkForm(request, context)
        do {
            try service.registry.removeParticipant(session: name, name: participant, via: .admin)
        } catch RegistryError.noSuchParticipant {
            return back(name, error: "no-such-participant")
        }
        return back(name, done: "removed")
    }

    @Sendable func export(_ request: Request, context: Context) async throws -> Response {
        let name = try context.parameters.require("session")
        // The name becomes a directory under participants/: a checked name, never `..` or a path.
        do { try SessionName.validate(name) } catch { throw IntakeHTTPError.malformed(error.description) }
        try await checkForm(request, context)
        guard let root = service.settings.labRoot else {
            return back(name, error: "no-root")
        }
        let dir = root.appendingPathComponent("participants").appendingPathComponent(name)
        _ = try KeyFiles(directory: dir).exportAll(try service.registry.participants(in: name))
        return back(name, done: "exported")
    }
}
