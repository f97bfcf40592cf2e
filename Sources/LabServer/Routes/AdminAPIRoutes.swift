import Foundation
import Hummingbird
import LabCore
import LabStore
import LabWorkflows

/// The dashboard as JSON, for scripts: `Authorization: Bearer <admin token>`.
///
///     GET    /api/v1/admin/sessions
///     GET    /api/v1/admin/sessions/<s>
///     POST   /api/v1/admin/sessions/<s>/open[?rotate=true]
///     POST   /api/v1/admin/sessions/<s>/close
///     DELETE /api/v1/admin/sessions/<s>/participants/<name>
///     GET    /api/v1/admin/sessions/<s>/keys        (text/plain)
struct AdminAPIRoutes {
    typealias Context = IntakeRequestContext
    let service: IntakeService

    func add(to router: Router<Context>) {
        let api = router.group("/api/v1/admin").add(middleware: AdminBearerMiddleware(service: service))
        api.get("/sessions", use: sessions)
        api.get("/sessions/:session", use: session)
        api.get("/sessions/:session/keys", use: keys)
        api.post("/sessions/:session/open", use: open)
        api.post("/sessions/:session/close", use: close)
        api.delete("/sessions/:session/participants/:name", use: remove)
    }

    struct DeploymentJSON: Encodable {
        var discrete_id: String
        var master_public_ip: String?
        var worker_public_ips: [String]
        var host_key_fingerprint: String?
        var ready: Bool?
        var nodes_ready: Int?
        var nodes_expected: Int?
        var checked_at: Date?
    }

    struct SessionJSON: Encodable {
        var session: String
        var intake: String
        var join_url: String?
        var participants: [ParticipantListing]
        var deployment: [DeploymentJSON]
        var cost: CostSummary
    }

    struct IntakeJSON: Encodable {
        var session: String
        var intake: String
        var join_url: String?
    }

    @Sendable func sessions(_ request: Request, context: Context) async throws -> Response {
        Responses.json(try await SessionOverview(service: service).summaries())
    }

    func detail(_ context: Context) throws -> SessionOverview.Detail {
        let name = try context.parameters.require("session")
        guard let detail = try SessionOverview(service: service).detail(name) else {
            throw IntakeHTTPError(.notFound, "not-found", "no session \(name) in the registry; see GET /api/v1/admin/sessions.")
        }
        return detail
    }

    @Sendable func session(_ request: Request, context: Context) async throws -> Response {
        let d = try detail(context)
        let verified = Dictionary(d.verifications.map { ($0.discreteID, $0) }, uniquingKeysWith: { a, _ in a })
        let pinned = Dictionary(d.hostKeys.map { ($0.discreteID, $0.fingerprint) }, uniquingKeysWith: { a, _ in a })
        let byID = Dictionary(d.clusters.map { ($0.discreteID, $0) }, uniquingKeysWith: { a, _ in a })
        let deployment = Set(byID.keys).union(verified.keys).sorted().map { id in
            DeploymentJSON(discrete_id: id, master_public_ip: byID[id]?.masterPublicIP, worker_public_ips: byID[id]?.workerPublicIPs ?? [],
                           host_key_fingerprint: pinned[id], ready: verified[id]?.ready, nodes_ready: verified[id]?.nodesReady,
                           nodes_expected: verified[id]?.nodesExpected, checked_at: verified[id]?.checkedAt)
        }
        return Responses.json(SessionJSON(
            session: d.session, intake: d.intake.rawValue, join_url: d.joinURL,
            participants: d.participants.map(ParticipantListing.init),
            deployment: deployment, cost: d.cost))
    }

    @Sendable func keys(_ request: Request, context: Context) async throws -> Response {
        Responses.text(SessionOverview.keysText(try detail(context).participants))
    }

    @Sendable func open(_ request: Request, context: Context) async throws -> Response {
        let name = try context.parameters.require("session")
        do { try SessionName.validate(name) } catch { throw IntakeHTTPError.malformed(error.description) }
        let rotate = request.uri.queryParameters["rotate"].map { $0 == "true" || $0 == "1" } ?? false
        let record = try service.registry.openIntake(session: name, rotate: rotate, via: .admin)
        service.joinCodes.invalidate()
        return Responses.json(IntakeJSON(session: name, intake: "open", join_url: service.joinURL(code: record.code)))
    }

    @Sendable func close(_ request: Request, context: Context) async throws -> Response {
        let name = try context.parameters.require("session")
        defer { service.joinCodes.invalidate() }
        guard try service.registry.closeIntake(session: name, via: .admin) != nil else {
            throw IntakeHTTPError(.notFound, "not-found", "intake for \(name) was never opened.")
        }
        return Responses.json(IntakeJSON(session: name, intake: "closed", join_url: nil))
    }

    @Sendable func remove(_ request: Request, context: Context) async throws -> Response {
        let session = try context.parameters.require("session")
        let name = try context.parameters.require("name")
        do {
            try service.registry.removeParticipant(session: session, name: name, via: .admin)
        } catch let error as RegistryError {
            throw IntakeHTTPError(.notFound, "not-found", error.description)
        }
        return Response(status: .noContent)
    }
}
