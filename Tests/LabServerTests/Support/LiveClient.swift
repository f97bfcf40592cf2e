import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// What load tests collect: acknowledged submissions, and a way to wait for
/// a number of them without sleeping.
actor Acknowledgements {
    private(set) var byName: [String: String] = [:]
    private(set) var statuses: [Int: Int] = [:]
    private var waiter: (count: Int, continuation: CheckedContinuation<Void, Never>)?
    private var workersLeft: Int

    init(workers: Int) { workersLeft = workers }

    func record(status: Int, participant: String?, fingerprint: String?) {
        statuses[status, default: 0] += 1
        if status == 201, let participant, let fingerprint {
            precondition(byName[participant] == nil, "\(participant) acknowledged twice")
            byName[participant] = fingerprint
        }
        if let w = waiter, byName.count >= w.count { waiter = nil; w.continuation.resume() }
    }

    func workerDone() {
        workersLeft -= 1
        if workersLeft == 0, let w = waiter { waiter = nil; w.continuation.resume() }
    }

    /// Returns once `count` submissions are acknowledged (or every worker stopped).
    func wait(for count: Int) async {
        if byName.count >= count || workersLeft == 0 { return }
        await withCheckedContinuation { waiter = (count, $0) }
    }
}

/// A keep-alive connection to a live server (HummingbirdTesting's NIO client).
struct LiveClient {
    let client: TestClient

    init(port: Int) {
        client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(30)))
        client.connect()
    }

    func join(code: String, first: String, last: String, key: String) async throws -> (status: Int, json: [String: Any]) {
        let body = try JSONSerialization.data(withJSONObject: ["first_name": first, "last_name": last, "public_key": key])
        let r = try await client.post("/api/v1/join/\(code)", headers: [.contentType: "application/json"], body: ByteBuffer(bytes: body))
        let json = r.body.flatMap { try? JSONSerialization.jsonObject(with: Data($0.readableBytesView)) as? [String: Any] } ?? [:]
        return (Int(r.status.code), json)
    }

    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> (status: Int, text: String) {
        let r = try await client.get(uri, headers: headers)
        return (Int(r.status.code), r.body.map { String(buffer: $0) } ?? "")
    }

    func close() async { try? await client.shutdown() }
}
