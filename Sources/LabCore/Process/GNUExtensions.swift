import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// glibc functions Swift's Glibc module hides (they are declared only under _GNU_SOURCE),
/// looked up once by name: close-on-exec pipes, closing every inherited descriptor in the
/// child, and a working directory per child (no process-wide chdir).
enum GNUExtensions {
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    private static func symbol<T>(_ name: String, as _: T.Type) -> T? {
        guard let p = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(p, to: T.self)
    }

    private static let pipe2Function = symbol("pipe2", as: Pipe2.self)
    private static let closeFromFunction = symbol("posix_spawn_file_actions_addclosefrom_np", as: CloseFrom.self)
    private static let addChdirFunction = symbol("posix_spawn_file_actions_addchdir_np", as: AddChdir.self)

    /// A pipe whose both ends are close-on-exec from the start (no window for another thread's spawn).
    static func pipeCloseOnExec(_ fds: UnsafeMutablePointer<Int32>) -> Int32 {
        if let pipe2Function { return pipe2Function(fds, O_CLOEXEC) }
        guard pipe(fds) == 0 else { return -1 }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return 0
    }

    static func closeFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ fd: Int32) {
        _ = closeFromFunction?(actions, fd)
    }

    /// False when this libc cannot change directory per child (glibc < 2.29).
    static func addChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>) -> Bool {
        guard let addChdirFunction else { return false }
        return addChdirFunction(actions, path) == 0
    }
}
