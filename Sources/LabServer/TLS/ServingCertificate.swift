import Foundation
import NIOSSL
import Synchronization

/// The certificate `labctl serve` presents, replaceable while it runs: each new
/// connection takes the TLS context current when it is accepted, and `reload()` swaps
/// in the files' new contents (a renewed certificate needs no restart). A reload
/// that fails keeps the certificate in use.
public final class ServingCertificate: Sendable {
    public let files: TLSFiles
    private let current: Mutex<(context: NIOSSLContext, leaf: NIOSSLCertificate)>

    /// Loads the files; throws what is wrong with them.
    public init(_ files: TLSFiles) throws(TLSFilesError) {
        self.files = files
        current = Mutex(try files.load())
    }

    /// The context for a connection accepted now.
    var context: NIOSSLContext { current.withLock { $0.context } }

    /// The served certificate in a line: subject names, serial number, expiry.
    public var summary: String { Self.describe(current.withLock { $0.leaf }) }

    /// Reads the files again and serves them to connections accepted from now on;
    /// returns the new certificate's summary. On an error nothing changes.
    @discardableResult
    public func reload() throws(TLSFilesError) -> String {
        let loaded = try files.load()
        current.withLock { $0 = loaded }
        return Self.describe(loaded.leaf)
    }

    static func describe(_ certificate: NIOSSLCertificate) -> String {
        let serial = certificate.serialNumber.map { String(format: "%02x", $0) }.joined()
        let notAfter = Date(timeIntervalSince1970: TimeInterval(certificate.notValidAfter))
        let names = certificate._subjectAlternativeNames().compactMap { name -> String? in
            let bytes = Array(name.contents)
            switch name.nameType {
            case .dnsName: return String(decoding: bytes, as: UTF8.self)
            case .ipAddress where bytes.count == 4: return bytes.map(String.init).joined(separator: ".")
            case .ipAddress where bytes.count == 16:
                return stride(from: 0, to: 16, by: 2).map { String(Int(bytes[$0]) << 8 | Int(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
            default: return nil
            }
        }
        return "\(names.isEmpty ? "no subject alternative names" : names.joined(separator: ", ")) (serial \(serial), valid until \(notAfter.formatted(.iso8601)))"
    }
}
