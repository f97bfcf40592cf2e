import Foundation
import Hummingbird
import LabStore
import LabWorkflows
import Logging
import NIOCore

/// The intake service (issue #5): participants submit their keys over HTTP,
/// trainers run sessions from a dashboard. Build the router for tests, or the
/// whole application for `labctl serve`.
public enum IntakeServer {
    /// Everything the service is made of. Sheets and cost come from the lab's files
    /// (`settings.labRoot`) through LabWorkflows' use cases.
    public struct Dependencies: Sendable {
        public var registry: Registry
        public var settings: IntakeSettings
        /// SHA-256 hex of the admin token (see `AdminToken.resolve`).
        public var adminTokenDigest: String
        /// Hands spares to participants who join after apply (`labctl serve`); nil: nobody does.
        public var lateJoiners: LateJoiners?

        public init(registry: Registry, settings: IntakeSettings, adminTokenDigest: String) {
            self.registry = registry
            self.settings = settings
            self.adminTokenDigest = adminTokenDigest
        }
    }

    /// The router with every route and middleware.
    public static func router(_ dependencies: Dependencies) -> Router<IntakeRequestContext> {
        router(IntakeService(dependencies: dependencies))
    }

    static func router(_ service: IntakeService) -> Router<IntakeRequestContext> {
        let router = Router(context: IntakeRequestContext.self)
        // First: who sent the request (behind a trusted proxy, the client it names).
        router.add(middleware: ForwardedMiddleware(trusted: service.settings.trustedProxies, tls: service.settings.isTLS))
        router.add(middleware: AccessLogMiddleware())
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorMiddleware())
        StaticRoutes(service: service).add(to: router)
        JoinRoutes(service: service).add(to: router)
        ParticipantRoutes(service: service).add(to: router)
        AdminRoutes(service: service).add(to: router)
        AdminAPIRoutes(service: service).add(to: router)
        return router
    }

    /// The application `labctl serve` runs: binds `settings.host:settings.port`
    /// (0 picks a free port) and calls `onRunning` with the bound port and base URL.
    /// `runService()` on it serves until SIGTERM or SIGINT, then finishes the
    /// requests in flight and returns.
    public static func application(_ dependencies: Dependencies, logger: Logger,
                                   onRunning: @escaping @Sendable (_ port: Int, _ baseURL: String) async -> Void = { _, _ in })
        -> some ApplicationProtocol {
        let service = IntakeService(dependencies: dependencies)
        return Application(
            router: router(service),
            server: guardedHTTP1(dependencies.settings),
            configuration: .init(address: .hostname(dependencies.settings.host, port: dependencies.settings.port),
                                 serverName: "labctl"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? dependencies.settings.port
                service.serverStarted(port: port)
                await onRunning(port, service.baseURL)
            },
            logger: logger
        )
    }
}
