import Foundation
import Hummingbird
import LabCore
import LabStore

/// The participant's entry: `GET /join/<code>` (the form), `POST /join/<code>`
/// (the form's submission, answered with a redirect to the personal page) and
/// `POST /api/v1/join/<code>` (JSON). Refused requests are limited per client address,
/// submissions per session.
struct JoinRoutes {
    typealias Context = IntakeRequestContext
    let service: IntakeService

    func add(to router: Router<Context>) {
        // Refused requests (bad codes, refused keys, malformed forms) spend the address's
        // budget; accepted submissions do not, so a room behind one NAT address can join.
        let limited = router.group().add(middleware: AbuseLimitMiddleware(limiter: service.submissionLimiter))
        limited.get("/join/:code", use: page)
        limited.post("/join/:code", use: submitForm)
        limited.post("/api/v1/join/:code", use: submitJSON)
    }

    @Sendable func page(_ request: Request, context: Context) async throws -> Response {
        let code = try context.parameters.require("code")
        guard let session = try await service.joinCodes.session(forCode: code) else { throw IntakeHTTPError.notFound }
        let (csrf, cookie) = service.forms.token(for: request, context)
        var response = Responses.html(JoinPage(session: session, code: code, csrf: csrf).render())
        if let cookie { response.setCookie(cookie) }
        return response
    }

    @Sendable func submitForm(_ request: Request, context: Context) async throws -> Response {
        let code = try context.parameters.require("code")
        let fields = try await FormFields.read(request)
        try service.forms.verifyDoubleSubmit(request, context, formToken: fields["csrf"])
        guard let session = try await service.joinCodes.session(forCode: code) else { throw IntakeHTTPError.notFound }
        do {
            let keyText: String
            switch fields.publicKeyText {
            case .text(let text): keyText = text
            case .binary: throw IntakeHTTPError.keyRefused(.malformedLine)
            }
            let submission = try Submission(firstName: fields["first_name"], lastName: fields["last_name"],
                                            email: fields["email"], publicKey: keyText)
            try service.admitSubmission(to: session)
            let (_, token) = try await enroll(submission, code: code, via: .web)
            return Responses.redirect(to: "/me/\(token.value)?welcome=1")
        } catch let error as IntakeHTTPError where error.status != .notFound {
            // The same form again with the reason; names kept, the key never echoed.
            let page = JoinPage(session: session, code: code, csrf: fields["csrf"] ?? "",
                                firstName: Submission.clean(fields["first_name"]), lastName: Submission.clean(fields["last_name"]),
                                email: Submission.clean(fields["email"]), error: error.message)
            return Responses.html(page.render(), status: error.status)
        }
    }

    /// The JSON body of `POST /api/v1/join/<code>`.
    struct JoinRequest: Decodable {
        var first_name: String
        var last_name: String
        var email: String?
        var public_key: String
    }

    /// The 201 answer: the edit token is shown this once.
    struct JoinResponse: Encodable {
        var name: String
        var session: String
        var discrete_id: String
        var fingerprint: String
        var edit_token: String
        var edit_url: String
    }

    @Sendable func submitJSON(_ request: Request, context: Context) async throws -> Response {
        let code = try context.parameters.require("code")
        guard let session = try await service.joinCodes.session(forCode: code), !session.isEmpty else { throw IntakeHTTPError.notFound }
        let input: JoinRequest = try await JSONBody.decode(request, shape: "{\"first_name\", \"last_name\", \"email\"?, \"public_key\"}")
        let submission = try Submission(firstName: input.first_name, lastName: input.last_name, email: input.email, publicKey: input.public_key)
        try service.admitSubmission(to: session)
        let (participant, token) = try await enroll(submission, code: code, via: .api)
        return Responses.json(JoinResponse(name: participant.name, session: participant.record.session,
                                           discrete_id: participant.discreteID, fingerprint: participant.fingerprint,
                                           edit_token: token.value, edit_url: service.personalURL(token: token.value)),
                              status: .created)
    }

    /// Stores the submission with the next group commit; returns after it committed.
    func enroll(_ s: Submission, code: String, via interface: Interface) async throws -> (Participant, SecretToken) {
        let reply = try await service.writer.submit(.enroll(code: code, name: s.name, displayName: s.displayName,
                                                            email: s.email, key: s.key, via: interface))
        switch reply {
        case .success(.enrolled(let participant, let token)):
            // Someone joining an applied session may get a spare; never holds up the answer.
            service.lateJoiners?.keyReceived(session: participant.record.session, discreteID: participant.discreteID)
            return (participant, token)
        case .success(let other): throw IntakeHTTPError.refusal(.registry(.nameTaken(name: other.participant.name, session: other.participant.record.session)))
        case .failure(let refusal): throw IntakeHTTPError.refusal(refusal)
        }
    }
}
