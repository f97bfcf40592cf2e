import Foundation
import LabCore

/// `participants/<session>/<name>.pub`: the file-based workflow's key files,
/// imported into and exported from the registry.
public struct KeyFiles {
    public let directory: URL
    /// Lists the files labctl itself wrote, so export never removes a trainer's own files.
    static let manifestName = ".labctl-exported"

    public init(directory: URL) { self.directory = directory }

    /// One imported file's result.
    public struct ImportResult: Sendable {
        public let file: String
        public let name: String?
        public let outcome: Result<RegistrationOutcome, ImportError>
    }

    public enum ImportError: Error, Sendable, CustomStringConvertible {
        case key(KeyRefusal)
        case name(NameError)
        case registry(String)
        public var description: String {
            switch self {
            case .key(let e): return e.message
            case .name(let e): return e.description
            case .registry(let s): return s
            }
        }
    }

    /// The `.pub` files in the directory, sorted by name.
    public func keyFiles() throws -> [URL] {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDir), isDir.boolValue else {
            throw KeyFilesError.missingDirectory(directory.path)
        }
        return try fm.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "pub" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// Imports every `.pub` file: the file name gives the participant's name.
    /// Valid keys are registered (re-running changes nothing); invalid ones are reported.
    /// Past `participantCap` (the session's `max_participants`) a new name is refused like an invalid file.
    public func importAll(into registry: Registry, session: String, participantCap: Int? = nil) throws -> [ImportResult] {
        try keyFiles().map { url in
            let file = url.lastPathComponent
            let stem = String(file.dropLast(4))
            let name: ParticipantName
            do throws(NameError) { name = try ParticipantName(canonical: stem) } catch {
                return ImportResult(file: file, name: nil, outcome: .failure(.name(error)))
            }
            switch KeyFileReader.read(path: url.path) {
            case .failure(let refusal):
                return ImportResult(file: file, name: name.value, outcome: .failure(.key(refusal)))
            case .success(let key):
                do {
                    let outcome = try registry.register(session: session, name: name, key: key, via: .import, participantCap: participantCap)
                    return ImportResult(file: file, name: name.value, outcome: .success(outcome))
                } catch {
                    let message = (error as? RegistryError)?.description ?? "\(error)"
                    return ImportResult(file: file, name: name.value, outcome: .failure(.registry(message)))
                }
            }
        }
    }

    /// What `exportAll` did.
    public struct ExportSummary: Sendable {
        public var written: [String] = []
        public var unchanged: [String] = []
        public var removed: [String] = []
    }

    /// Writes `<name>.pub` for every participant (atomically), and removes the
    /// files labctl wrote earlier for participants who are gone.
    public func exportAll(_ participants: [Participant]) throws -> ExportSummary {
        let fm = FileManager.default
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        var summary = ExportSummary()
        let manifestURL = directory.appendingPathComponent(Self.manifestName)
        let previous = Set(((try? String(contentsOf: manifestURL, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init))
        var current: [String] = []
        for p in participants {
            let file = "\(p.name).pub"
            current.append(file)
            let url = directory.appendingPathComponent(file)
            let content = p.key.keyLine + "\n" // the stored line, comment included
            if let existing = try? String(contentsOf: url, encoding: .utf8), existing == content {
                summary.unchanged.append(file)
                continue
            }
            try AtomicFile.write(Data(content.utf8), to: url, permissions: 0o644)
            summary.written.append(file)
        }
        for file in previous.subtracting(current).sorted() where fm.fileExists(atPath: directory.appendingPathComponent(file).path) {
            try fm.removeItem(at: directory.appendingPathComponent(file))
            summary.removed.append(file)
        }
        try AtomicFile.write(Data((current.sorted().joined(separator: "\n") + "\n").utf8), to: manifestURL, permissions: 0o644)
        return summary
    }
}

public enum KeyFilesError: Error, Equatable, CustomStringConvertible {
    case missingDirectory(String)
    public var description: String {
        switch self {
        case .missingDirectory(let path):
            return "\(path) does not exist; put one <first.last>.pub file per participant there, or give another directory."
        }
    }
}
