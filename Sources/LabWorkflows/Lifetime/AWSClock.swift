import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// AWS's clock, as the EC2 endpoint of a region states it in the `Date` header of any
/// answer (a refusal of an unsigned request will do: no credentials, nothing signed).
/// `reap` compares it with this machine's clock before it destroys anything: a clock that
/// runs ahead would reap a class in the middle of its day.
public enum AWSClock {
    /// More apart than this and reap destroys nothing (AWS itself refuses signed requests
    /// only from 15 minutes on).
    public static let tolerance: TimeInterval = 300

    /// `AWS_ENDPOINT_URL_EC2`, else `AWS_ENDPOINT_URL` (an emulator), else the region's endpoint.
    public static func endpoint(region: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        let configured = environment["AWS_ENDPOINT_URL_EC2"] ?? environment["AWS_ENDPOINT_URL"]
        return URL(string: configured ?? "https://ec2.\(region).amazonaws.com/")
    }

    /// AWS's time minus this machine's, in seconds (half the round trip allowed for).
    public static func offset(region: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                              timeout: TimeInterval = 15) async throws -> TimeInterval {
        guard let url = endpoint(region: region, environment: environment) else {
            throw WorkflowError.usage("the EC2 endpoint setting is not a URL; check AWS_ENDPOINT_URL_EC2 and AWS_ENDPOINT_URL.")
        }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "GET"
        let sent = Date()
        let header: String? = try await withCheckedThrowingContinuation { done in
            URLSession.shared.dataTask(with: request) { _, response, error in
                if let error {
                    done.resume(throwing: WorkflowError.notOK("AWS's clock could not be read from \(url.absoluteString): \(error.localizedDescription); check the network and the endpoint settings, then run reap again."))
                } else {
                    done.resume(returning: (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Date"))
                }
            }.resume()
        }
        let received = Date()
        guard let header, let theirs = parseHTTPDate(header) else {
            throw WorkflowError.notOK("\(url.absoluteString) answered without a readable Date header, so AWS's clock is unknown; run reap again, or check AWS_ENDPOINT_URL.")
        }
        let ours = sent.addingTimeInterval(received.timeIntervalSince(sent) / 2)
        return theirs.timeIntervalSince(ours)
    }

    /// RFC 7231's IMF-fixdate, as every HTTP server sends it ("Mon, 07 Dec 2026 22:40:00 GMT").
    static func parseHTTPDate(_ text: String) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return f.date(from: text.trimmingCharacters(in: .whitespaces))
    }

    /// "4 min 10 s ahead of AWS" / "behind", for the refusal.
    public static func describe(_ offset: TimeInterval) -> String {
        let seconds = Int(abs(offset).rounded())
        return "\(seconds / 60) min \(seconds % 60) s \(offset < 0 ? "ahead of" : "behind") AWS's"
    }
}
