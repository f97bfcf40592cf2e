// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "labctl",
    // Linux only (Glibc, /proc, libssh2 through pkg-config): no Apple platform is claimed.
    products: [
        .executable(name: "labctl", targets: ["labctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // TLS for the intake and for SMTP (STARTTLS, implicit TLS).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // Imported directly (CI builds with --explicit-target-dependency-import-check error).
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    ],
    targets: [
        // Pure domain: key parsing, names, CIDR pool, tfvars reader. No I/O beyond Foundation.
        .target(
            name: "LabCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // SQLite registry (GRDB over the system libsqlite3).
        .target(
            name: "LabStore",
            dependencies: ["LabCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // Terraform runner, workspaces, locks, var files, outputs; generates session secrets.
        .target(
            name: "LabProvision",
            dependencies: [
                "LabCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        // Connection sheets: templates, CSV, .eml, SMTP. Plain view models in, text out.
        .target(
            name: "LabSheets",
            dependencies: [
                "LabCore",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // HTTP intake for participants and the trainer dashboard (Hummingbird 2).
        .target(
            name: "LabServer",
            dependencies: [
                "LabCore", "LabStore", "LabWorkflows",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // libssh2 from the system (apt libssh2-1-dev), found through pkg-config.
        .systemLibrary(
            name: "CLibSSH2",
            pkgConfig: "libssh2",
            providers: [.apt(["libssh2-1-dev"]), .brew(["libssh2"])]
        ),
        // Readiness checks of participants' masters over libssh2: wrapper, checks, parallel engine.
        .target(name: "LabVerify", dependencies: ["LabCore", "CLibSSH2"]),
        // Local stand-ins for what a rehearsal cannot have: the AWS emulator, loopback
        // sshd masters replaying a kubeadm node. Used by `labctl demo` and the tests.
        .target(name: "LabRehearsal", dependencies: ["LabCore"], resources: [.copy("Resources/aws-json-emulator.py")]),
        // The use cases that join the libraries (enroll, Terraform inputs, outputs, verify and
        // record, sheets, delivery, cost). The executable and the server call these.
        .target(
            name: "LabWorkflows",
            dependencies: ["LabCore", "LabStore", "LabProvision", "LabVerify", "LabSheets"]
        ),
        // `labctl demo`: a client of the labctl binary (it runs it and reads its --json) on the
        // rehearsal's stand-ins. Only the executable's demo command uses it.
        .target(
            name: "LabDemo",
            dependencies: ["LabCore", "LabStore", "LabProvision", "LabRehearsal", "LabWorkflows"]
        ),
        .executableTarget(
            name: "labctl",
            dependencies: [
                "LabCore", "LabStore", "LabProvision", "LabSheets", "LabServer", "LabVerify", "LabWorkflows", "LabDemo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The bare Hummingbird route scripts/bench/intake.sh measures labctl's join page against.
        .executableTarget(
            name: "intake-bench-peer",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
            ],
            path: "Benchmarks/IntakeBenchPeer"
        ),
        // Helpers shared by the test targets: real ssh-keygen, temp dirs, the built binary.
        .target(name: "LabTestSupport", dependencies: ["LabRehearsal", "LabCore", "LabStore"], path: "Tests/LabTestSupport"),
        .testTarget(name: "LabCoreTests", dependencies: ["LabCore", "LabTestSupport"]),
        .testTarget(
            name: "LabStoreTests",
            dependencies: ["LabStore", "LabCore", "LabTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "LabProvisionTests", dependencies: ["LabProvision", "LabCore", "LabTestSupport"]),
        .testTarget(name: "LabSheetsTests", dependencies: ["LabSheets", "LabCore", "LabTestSupport"]),
        .testTarget(name: "LabVerifyTests", dependencies: ["LabVerify", "LabCore", "LabStore", "LabRehearsal", "LabTestSupport"]),
        .testTarget(
            name: "labctlTests",
            dependencies: ["LabCore", "LabStore", "LabRehearsal", "LabTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "LabWorkflowsTests",
            dependencies: ["LabWorkflows", "LabCore", "LabStore", "LabProvision", "LabSheets", "LabVerify", "LabTestSupport"]
        ),
        .testTarget(name: "LabDemoTests", dependencies: ["LabDemo", "LabCore", "LabWorkflows", "LabTestSupport"]),
        .testTarget(
            name: "LabServerTests",
            dependencies: [
                "LabServer", "LabStore", "LabCore", "LabProvision", "LabWorkflows", "LabTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
