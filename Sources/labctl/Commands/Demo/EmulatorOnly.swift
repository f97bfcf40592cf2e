import Foundation
import LabDemo
import LabWorkflows

/// `labctl demo --emulator-only`: start the emulator, print its environment on stdout
/// (for `. file` or `eval`), what to do on stderr, and stop it on Ctrl-C or SIGTERM.
enum EmulatorOnly {
    static func run(directory: String?) throws {
        let folder = directory.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("labctl-emulator-\(getpid())")
        let emulator: StandaloneEmulator
        do { emulator = try StandaloneEmulator(directory: folder) } catch {
            throw LabFailure.usage("the AWS emulator did not start: \(error). Run scripts/setup.sh (it installs moto_server), then try again.")
        }
        defer { emulator.stop() }
        print(emulator.exports.joined(separator: "\n"))
        fflush(nil)
        Terminal.note("""
            AWS emulator on \(emulator.moto.endpoint) (moto; Budgets at \(emulator.moto.awsJSON.endpoint)); logs in \(folder.path).
            Point a shell at it with the lines above (`. file` if you redirected them), then run labctl in a lab folder.
            Only 127.0.0.1 is used; nothing is created on AWS. Ctrl-C (or SIGTERM) stops it.
            """)
        let stop = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: number, queue: .global())
            s.setEventHandler { stop.signal() }
            s.resume()
            sources.append(s)
        }
        while stop.wait(timeout: .now() + 1) == .timedOut {
            guard emulator.isRunning else {
                throw LabFailure.usage("the AWS emulator stopped by itself; see the logs in \(folder.path).")
            }
        }
        Terminal.note("stopping the AWS emulator")
    }
}
