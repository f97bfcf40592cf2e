import Foundation
import LabServer

/// Where the intake service listens and which URL participants use:
/// options first, then `LABCTL_HOST`, `LABCTL_PORT`, `LABCTL_PUBLIC_URL`,
/// then 127.0.0.1:8080.
struct IntakeAddress {
    var host: String
    var port: Int
    var publicURL: String?

    init(host: String?, port: Int?, publicURL: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.host = host ?? environment["LABCTL_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        if let port {
            self.port = port
        } else if let text = environment["LABCTL_PORT"], !text.isEmpty {
            guard let value = Int(text) else { throw LabFailure.usage("LABCTL_PORT '\(text)' is not a port number (e.g. 8080).") }
            self.port = value
        } else {
            self.port = 8080
        }
        guard (0...65535).contains(self.port) else { throw LabFailure.usage("port \(self.port) is outside 0–65535; choose e.g. --port 8080.") }
        self.publicURL = publicURL ?? environment["LABCTL_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let url = self.publicURL, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw LabFailure.usage("public URL '\(url)' must start with http:// or https:// (e.g. https://lab.example.org).")
        }
    }

    var settings: IntakeSettings { IntakeSettings(host: host, port: port, publicURL: publicURL) }
    var baseURL: String { settings.baseURL() }
}
