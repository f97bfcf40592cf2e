import Foundation
import NIOSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The certificate chain and private key `labctl serve --tls-cert --tls-key` serves
/// HTTPS with (PEM; the chain is the server's certificate first, then its
/// intermediates, as certbot's `fullchain.pem` holds them).
public struct TLSFiles: Sendable, Equatable {
    public var certificatePath: String
    public var keyPath: String

    public init(certificatePath: String, keyPath: String) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
    }

    /// What serving with these files takes: a TLS context for new connections and the
    /// server's certificate (to describe it). Checks, in this order: the key file is
    /// private to its owner, both files are readable PEM, the certificate has not
    /// expired, and the key belongs to the certificate.
    func load(now: Date = Date()) throws(TLSFilesError) -> (context: NIOSSLContext, leaf: NIOSSLCertificate) {
        try checkKeyIsPrivate()
        let chainBytes = try read(certificatePath, what: "certificate")
        let keyBytes = try read(keyPath, what: "private key")
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(chainBytes)
        } catch {
            throw .notPEM(certificatePath, what: "certificate chain", detail: "\(error)")
        }
        guard let leaf = chain.first else { throw .notPEM(certificatePath, what: "certificate chain", detail: "no CERTIFICATE block") }
        let notAfter = Date(timeIntervalSince1970: TimeInterval(leaf.notValidAfter))
        guard notAfter > now else { throw .expired(certificatePath, notAfter) }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(bytes: keyBytes, format: .pem)
        } catch {
            throw .notPEM(keyPath, what: "private key", detail: "\(error) (an encrypted key is not supported)")
        }
        let configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                                      privateKey: .privateKey(key))
        do {
            // BoringSSL refuses a key that does not match the chain's first certificate here.
            return (try NIOSSLContext(configuration: configuration), leaf)
        } catch {
            throw .mismatch(certificate: certificatePath, key: keyPath, detail: "\(error)")
        }
    }

    /// A key the group or others may read (or write) is refused: on a shared host it is
    /// everyone's key. `stat` follows links (certbot's `live/` holds links to `archive/`).
    private func checkKeyIsPrivate() throws(TLSFilesError) {
        var info = stat()
        guard stat(keyPath, &info) == 0 else {
            throw .unreadable(keyPath, what: "private key", reason: String(cString: strerror(errno)))
        }
        let mode = Int(info.st_mode) & 0o777
        if mode & 0o077 != 0 { throw .keyNotPrivate(keyPath, mode: mode) }
    }

    private func read(_ path: String, what: String) throws(TLSFilesError) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file"
            throw .unreadable(path, what: what, reason: reason)
        }
        defer { try? handle.close() }
        do {
            // A PEM chain is a few KiB; 1 MiB is far beyond any real one.
            let data = try handle.read(upToCount: 1 << 20) ?? Data()
            return [UInt8](data)
        } catch {
            throw .unreadable(path, what: what, reason: "\(error)")
        }
    }
}

/// Why the TLS files cannot be served, with what to do about it.
public enum TLSFilesError: Error, CustomStringConvertible, Equatable {
    case unreadable(String, what: String, reason: String)
    case keyNotPrivate(String, mode: Int)
    case notPEM(String, what: String, detail: String)
    case expired(String, Date)
    case mismatch(certificate: String, key: String, detail: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let what, let reason):
            "cannot read the TLS \(what) \(path): \(reason). Give the path of a readable PEM file (--tls-cert/--tls-key or LABCTL_TLS_CERT/LABCTL_TLS_KEY)."
        case .keyNotPrivate(let path, let mode):
            "the TLS private key \(path) can be read by others (mode \(String(mode, radix: 8))): run `chmod 600 \(path)`, then start labctl serve again (or, while it runs, send it SIGHUP)."
        case .notPEM(let path, let what, let detail):
            "\(path) is not a PEM \(what) (\(detail)). Give the PEM file your certificate authority issued (e.g. certbot's fullchain.pem and privkey.pem)."
        case .expired(let path, let date):
            "the TLS certificate in \(path) expired on \(date.formatted(.iso8601)): renew it and give the new file."
        case .mismatch(let certificate, let key, let detail):
            "the TLS private key \(key) does not belong to the certificate in \(certificate) (\(detail)). Give the key the certificate was issued for."
        }
    }
}
