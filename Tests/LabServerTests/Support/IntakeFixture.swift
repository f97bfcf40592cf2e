import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LabCore
import LabServer
import LabStore
import LabTestSupport
import NIOCore
import XCTest

/// A `TestLab` (no moto) with its registry and the intake router on it, for router
/// tests (no socket): a known admin token, one session with open intake.
// @unchecked Sendable: set up before the router test starts; the registry itself is Sendable.
final class IntakeFixture: @unchecked Sendable {
    static let adminToken = "admin-token-for-tests-0123456789"
    let dir: TestLab
    let registry: Registry
    var settings: IntakeSettings

    init(settings: IntakeSettings = IntakeSettings(), pool: PodCIDRPool? = nil) throws {
        dir = try TestLab("intake", moto: false)
        registry = try Registry(path: dir.file(".labctl/lab.sqlite").path, pool: pool)
        var settings = settings
        settings.labRoot = dir.url
        self.settings = settings
        // The lab's templates: the personal page renders the participant's sheet from them.
        try dir.copyMailTemplates()
    }

    deinit { dir.remove() }

    var dependencies: IntakeServer.Dependencies {
        IntakeServer.Dependencies(registry: registry, settings: settings, adminTokenDigest: SecretToken.digest(of: Self.adminToken))
    }

    func application() -> some ApplicationProtocol {
        Application(router: IntakeServer.router(dependencies))
    }

    /// Opens intake for `session` and returns its enrollment code.
    @discardableResult
    func open(_ session: String = "s1") throws -> String {
        try registry.openIntake(session: session).code
    }

    static func json(_ object: [String: Any]) -> ByteBuffer {
        ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
    }

    static let jsonHeaders: HTTPFields = [.contentType: "application/json"]
}

extension TestResponse {
    var text: String { String(buffer: body) }

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    }

    /// `name=value` of the Set-Cookie with that name, and the whole header line.
    func cookie(_ name: String) -> (value: String, line: String)? {
        for line in headers[values: .setCookie] where line.hasPrefix(name + "=") {
            let value = line.dropFirst(name.count + 1).prefix { $0 != ";" }
            return (String(value), line)
        }
        return nil
    }
}

/// The value of `<input … name="csrf" value="…">` in a page.
func csrfField(in html: String) -> String? {
    guard let range = html.range(of: "name=\"csrf\" value=\"") else { return nil }
    return String(html[range.upperBound...].prefix { $0 != "\"" })
}

extension IntakeFixture {
    /// A synchronous read (callable from async tests, where GRDB would pick its async overload).
    func read<T>(_ block: (Database) throws -> T) throws -> T { try registry.database.read(block) }
    func write<T>(_ block: (Database) throws -> T) throws -> T { try registry.database.write(block) }
}
