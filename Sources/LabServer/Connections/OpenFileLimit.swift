#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's limit on open files (RLIMIT_NOFILE). Every connection is one;
/// distributions start processes with a soft limit of 1,024 while allowing far more.
public enum OpenFileLimit {
    /// Raises the soft limit to the hard limit (when it is lower) and returns the soft
    /// limit now in force; when raising fails, the limit stays and is returned as it is.
    @discardableResult
    public static func raiseToHardLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            // An unlimited hard limit is not a valid soft one (Linux caps it at fs.nr_open).
            raised.rlim_cur = limit.rlim_max >= unlimited ? rlim_t(1 << 20) : limit.rlim_max
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return limit.rlim_cur > rlim_t(Int32.max) ? Int(Int32.max) : Int(limit.rlim_cur)
    }

    /// The connection cap that leaves room in `openFiles` for the registry, logs,
    /// Terraform's pipes and SSH to spares: at most 4,096, and 256 descriptors kept free.
    public static func connectionCap(openFiles: Int) -> Int {
        max(16, min(4_096, openFiles - 256))
    }

    /// RLIM_INFINITY is all ones on Linux and 2^63-1 on Darwin (the C macro does not import).
    private static let unlimited = rlim_t(1) << 62

    #if canImport(Glibc)
    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resource = RLIMIT_NOFILE
    #endif
}
