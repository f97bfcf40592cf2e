import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Submits keys to the running intake service exactly as a participant's
/// script would: `POST /api/v1/join/<code>` with JSON, over loopback HTTP.
struct DemoIntakeClient {
    struct Joined: Decodable {
        var name: String
        var discrete_id: String
        var fingerprint: String
    }

    struct Refused: Error, CustomStringConvertible {
        var status: Int
        var body: String
        var description: String { "the intake service answered \(status): \(body.prefix(300))" }
    }

    /// `joinURL` is what `labctl open --json` printed: `http://127.0.0.1:PORT/join/CODE`.
    let joinURL: URL

    func submit(first: String, last: String, email: String, publicKey: String) throws -> Joined {
        let code = joinURL.lastPathComponent
        var components = URLComponents(url: joinURL, resolvingAgainstBaseURL: false)!
        components.path = "/api/v1/join/\(code)"
        var request = URLRequest(url: components.url!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: [
            "first_name": first, "last_name": last, "email": email, "public_key": publicKey,
        ])
        let (data, status) = try Self.send(request)
        guard status == 201 else { throw Refused(status: status, body: String(decoding: data, as: UTF8.self)) }
        return try JSONDecoder().decode(Joined.self, from: data)
    }

    /// The demo runs on the main thread; wait for the one request here.
    private static func send(_ request: URLRequest) throws -> (Data, Int) {
        // @unchecked Sendable: written once by URLSession's completion, read after the semaphore.
        final class Box: @unchecked Sendable { var result: Result<(Data, Int), Error> = .failure(URLError(.timedOut)) }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let error { box.result = .failure(error) } else {
                box.result = .success((data ?? Data(), (response as? HTTPURLResponse)?.statusCode ?? 0))
            }
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + 30) == .success else { throw URLError(.timedOut) }
        return try box.result.get()
    }
}
