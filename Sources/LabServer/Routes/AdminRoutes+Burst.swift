import Foundation
import Hummingbird
import LabStore
import LabWorkflows

/// `POST /admin/sessions/<s>/remove-burst`: removes everyone registered in a window (a
/// leaked join link), as `labctl keys remove <s> --registered-after … [--registered-before …]`.
/// Without `confirm=1` it changes nothing and lists who would go, with a button that
/// sends the same window confirmed (the CLI's dry run, then `-y`).
extension AdminRoutes {
    @Sendable func removeBurst(_ request: Request, context: Context) async throws -> Response {
        let name = try context.parameters.require("session")
        let fields = try await checkForm(request, context)
        guard try SessionOverview(service: service).detail(name) != nil else { throw IntakeHTTPError.notFound }
        let after = (fields["registered_after"] ?? "").trimmingCharacters(in: .whitespaces)
        let before = (fields["registered_before"] ?? "").trimmingCharacters(in: .whitespaces)
        let listed: [Participant]
        var burst = RemoveRegistrationBurst.Request(session: name, from: nil, before: nil, dryRun: true)
        do {
            guard !after.isEmpty else { return back(name, error: "bad-burst-window") }
            burst.from = try RemoveRegistrationBurst.parseTime(after, option: "from")
            burst.before = before.isEmpty ? nil : try RemoveRegistrationBurst.parseTime(before, option: "until")
            listed = try RemoveRegistrationBurst(registry: service.registry).run(burst, via: .admin)
        } catch is WorkflowError {
            return back(name, error: "bad-burst-window")
        }
        guard !listed.isEmpty else { return back(name, error: "empty-burst-window") }
        guard fields["confirm"] == "1" else {
            return Responses.html(BurstRemovalPage(session: name, after: after, before: before, participants: listed,
                                                   csrf: context.adminCSRF ?? "").render())
        }
        burst.dryRun = false
        try RemoveRegistrationBurst(registry: service.registry).run(burst, via: .admin)
        return back(name, done: "burst-removed")
    }
}
