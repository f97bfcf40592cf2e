import Foundation
import LabCore

/// Where the lab's running `labctl serve` answers, recorded next to its registry while it
/// runs, so that commands printing links (`labctl open`) name the service that is really
/// there (a `demo --keep` lab's service listens on a free port, not on 8080).
public struct RunningIntake: Codable, Equatable, Sendable {
    public var pid: Int32
    public var baseURL: String

    enum CodingKeys: String, CodingKey { case pid, baseURL = "base_url" }

    public init(pid: Int32 = getpid(), baseURL: String) {
        self.pid = pid
        self.baseURL = baseURL
    }

    /// `serve.json` beside the database.
    public static func file(database: String) -> URL {
        URL(fileURLWithPath: database).deletingLastPathComponent().appendingPathComponent("serve.json")
    }

    /// The service recorded for this database, if its process still runs.
    public static func find(database: String) -> RunningIntake? {
        guard let data = FileManager.default.contents(atPath: file(database: database).path),
              let record = try? JSONDecoder().decode(RunningIntake.self, from: data),
              kill(record.pid, 0) == 0 || errno == EPERM else { return nil }
        return record
    }

    public func record(database: String) throws {
        try AtomicFile.write(try JSONEncoder().encode(self), to: Self.file(database: database), permissions: 0o600)
    }

    /// Removes the record if it is this process's.
    public static func clear(database: String, pid: Int32 = getpid()) {
        if let data = FileManager.default.contents(atPath: file(database: database).path),
           let record = try? JSONDecoder().decode(RunningIntake.self, from: data), record.pid == pid {
            try? FileManager.default.removeItem(at: file(database: database))
        }
    }
}
