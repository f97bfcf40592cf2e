import NIOSSL

/// Turns NIOSSL's handshake errors into the trainer's terms: a certificate that does not
/// verify (untrusted, expired, or for another name) is told apart from TLS that did not work at all.
enum SMTPTLSFailure {
    static func isTLSError(_ error: Error) -> Bool { error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError }

    static func classify(_ error: Error, endpoint: SMTPEndpoint, tls: SMTPTLS) -> SMTPError {
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return .certificateNotVerified(endpoint: endpoint.description,
                                           reason: "it is not issued for \(endpoint.host) (NIOSSL: failedToValidateHostname)")
        }
        if case NIOSSLError.handshakeFailed(let inner) = error {
            let codes = reasons(inner)
            if codes.contains("CERTIFICATE_VERIFY_FAILED") {
                return .certificateNotVerified(endpoint: endpoint.description,
                                               reason: "it does not chain to \(tls.trustDescription), or it has expired (NIOSSL: \(codes))")
            }
            return .tls(endpoint: endpoint.description, mode: tls.mode.rawValue, reason: "the handshake failed (NIOSSL: \(codes))")
        }
        return .tls(endpoint: endpoint.description, mode: tls.mode.rawValue, reason: "\(error)")
    }

    /// BoringSSL's reason codes (`CERTIFICATE_VERIFY_FAILED`), without the error numbers and
    /// the source paths of the build that NIOSSL's descriptions carry.
    static func reasons(_ error: BoringSSLError) -> String {
        switch error {
        case .sslError(let stack), .unknownError(let stack):
            let codes = stack.map { entry -> String in
                let text = "\(entry)"
                let message = text.range(of: " at ").map { String(text[..<$0.lowerBound]) } ?? text
                return message.split(separator: ":").last.map(String.init) ?? message
            }
            return codes.isEmpty ? "\(error)" : codes.joined(separator: ", ")
        default:
            return "\(error)"
        }
    }
}
