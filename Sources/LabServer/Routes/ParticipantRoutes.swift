import Foundation
import Hummingbird
import LabCore
import LabStore

/// A participant's own entry behind their personal link: `GET /me/<token>`,
/// `POST /me/<token>/key` (replace the key), and the same as JSON with the
/// token as a bearer: `GET /api/v1/me`, `PUT /api/v1/me/key`. Without the
/// token nobody reads or changes an entry.
struct ParticipantRoutes {
    typealias Context = IntakeRequestContext
    let service: IntakeService

    func add(to router: Router<Context>) {
        let limited = router.group().add(middleware: AbuseLimitMiddleware(limiter: service.submissionLimiter))
        limited.get("/me/:token", use: page)
        limited.get("/api/v1/me", use: showJSON)
        limited.post("/me/:token/key", use: replaceForm)
        limited.put("/api/v1/me/key", use: replaceJSON)
    }

    func participant(token: String) async throws -> Participant {
        guard let p = try await service.registry.participant(forEditToken: token) else {
            throw IntakeHTTPError.refusal(.unknownToken)
        }
        return p
    }

    @Sendable func page(_ request: Request, context: Context) async throws -> Response {
        let token = try context.parameters.require("token")
        let p = try await participant(token: token)
        let query = request.uri.queryParameters
        var notice: String?
        if query["replaced"] != nil {
            notice = query["pushed"] != nil ? "Your key was replaced, also on your cluster: connect with your new key." : "Your key was replaced."
        }
        return try await render(p, token: token, request: request, context: context, justRegistered: query["welcome"] != nil, notice: notice)
    }

    func render(_ p: Participant, token: String, request: Request, context: Context, justRegistered: Bool = false,
                notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let (csrf, cookie) = service.forms.token(for: request, context)
        let sheet = try service.ownSheet(for: p)
        var page = OwnPage(participant: p, token: token, personalURL: service.personalURL(token: token), csrf: csrf,
                           sheet: sheet, justRegistered: justRegistered, notice: notice, error: error)
        page.keyNotOnCluster = try keyNotOnCluster(p)
        var response = Responses.html(page.render(), status: status)
        if let cookie { response.setCookie(cookie) }
        return response
    }

    @Sendable func replaceForm(_ request: Request, context: Context) async throws -> Response {
        let token = try context.parameters.require("token")
        let fields = try await FormFields.read(request)
        try service.forms.verifyDoubleSubmit(request, context, formToken: fields["csrf"])
        let current = try await participant(token: token)
        do {
            let key: SSHPublicKey
            switch fields.publicKeyText {
            case .text(let text): key = try Submission.parseKey(text)
            case .binary: throw IntakeHTTPError.keyRefused(.malformedLine)
            }
            let outcome = try await replace(token: token, key: key, via: .web)
            let pushed = try await pushIfDeployed(outcome)
            return Responses.redirect(to: "/me/\(token)?replaced=1\(pushed == true ? "&pushed=1" : "")")
        } catch let error as IntakeHTTPError where error.status != .notFound {
            return try await render(current, token: token, request: request, context: context, error: error.message, status: error.status)
        }
    }

    func replace(token: String, key: SSHPublicKey, via interface: Interface) async throws -> IntakeOutcome {
        switch try await service.writer.submit(.replaceKey(token: token, key: key, via: interface)) {
        case .success(let outcome): return outcome
        case .failure(let refusal): throw IntakeHTTPError.refusal(refusal)
        }
    }

    /// After deploy a replaced key goes onto the participant's cluster over SSH (through
    /// the intake's queue, in turn with spare assignments); Terraform keeps the key the
    /// cluster was built with. True: on every node; false: stored, not there yet (the
    /// page says so); nil: no cluster (the next apply builds it with the new key).
    func pushIfDeployed(_ outcome: IntakeOutcome) async throws -> Bool? {
        guard case .keyReplaced(let p, _) = outcome, try service.registry.hasClusters(session: p.record.session) else { return nil }
        guard let joiners = service.lateJoiners else { return try keyNotOnCluster(p) == nil ? nil : false }
        switch await joiners.pushReplacedKey(session: p.record.session, discreteID: p.discreteID) {
        case .pushed?: return true
        case .noCluster?: return nil
        case .failed?, nil: return false
        }
    }

    /// Why the participant's current key is not on their cluster yet; nil when it is, or they have none.
    func keyNotOnCluster(_ p: Participant) throws -> String? {
        guard let row = try service.registry.deployedKey(participantID: p.record.id!), row.isPending(activeFingerprint: p.fingerprint) else { return nil }
        return row.pushError ?? "it is being put there"
    }

    /// `Authorization: Bearer <edit token>`.
    func bearer(_ request: Request) throws -> String {
        guard let value = request.headers[.authorization], value.lowercased().hasPrefix("bearer ") else {
            throw IntakeHTTPError(.unauthorized, "unauthorized", "send your personal edit token as `Authorization: Bearer <edit_token>`.")
        }
        return String(value.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }

    struct Entry: Encodable {
        var name: String
        var display_name: String
        var session: String
        var discrete_id: String
        var fingerprint: String
        var registered_at: Date
        var previous_fingerprint: String?
        /// Set for a key replaced after deploy: whether it is on every node of the cluster yet.
        var key_on_cluster: Bool?
    }

    func entry(_ p: Participant, previous: String? = nil) throws -> Entry {
        let deployed = try service.registry.deployedKey(participantID: p.record.id!)
        return Entry(name: p.name, display_name: p.record.displayName, session: p.record.session, discrete_id: p.discreteID,
                     fingerprint: p.fingerprint, registered_at: p.record.createdAt, previous_fingerprint: previous,
                     key_on_cluster: deployed.map { !$0.isPending(activeFingerprint: p.fingerprint) })
    }

    @Sendable func showJSON(_ request: Request, context: Context) async throws -> Response {
        Responses.json(try entry(try await participant(token: try bearer(request))))
    }

    struct KeyRequest: Decodable { var public_key: String }

    @Sendable func replaceJSON(_ request: Request, context: Context) async throws -> Response {
        let token = try bearer(request)
        _ = try await participant(token: token)
        let input: KeyRequest = try await JSONBody.decode(request, shape: "{\"public_key\"}")
        let outcome = try await replace(token: token, key: try Submission.parseKey(input.public_key), via: .api)
        _ = try await pushIfDeployed(outcome)
        if case .keyReplaced(let p, let previous) = outcome { return Responses.json(try entry(p, previous: previous)) }
        return Responses.json(try entry(outcome.participant))
    }
}
