// swift-tools-version:6.0
import PackageDescription

// MissionCore benchmarks, kept out of the main package so that `swift build` there never
// builds them. Run: `swift run -c release mc-bench` from this folder.
let package = Package(
    name: "MissionCoreBenchmarks",
    platforms: [.macOS(.v14)],
    // Named so the product reference below does not depend on the checkout folder's name.
    dependencies: [.package(name: "MissionAuthority", path: "..")],
    targets: [
        // Only for the bulk load of the 1,000,000-event trail (MissionCore's storage is not public).
        .systemLibrary(name: "BenchSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // Writes a large, correctly chained audit trail straight into a database (mc-bench, ma-bench prefill-trail).
        .target(
            name: "BenchTrail",
            dependencies: [.product(name: "MissionCore", package: "MissionAuthority"), "BenchSQLite"]
        ),
        .executableTarget(
            name: "mc-bench",
            dependencies: [.product(name: "MissionCore", package: "MissionAuthority"), "BenchSQLite", "BenchTrail"]
        ),
        // epoll for ma-bench's load client (Swift's Glibc module does not export <sys/epoll.h>).
        .systemLibrary(name: "CBenchShims"),
        // The MA's load generator (signs every request as an agent); run it with ../Benchmarks/run-ma-bench.
        .executableTarget(
            name: "ma-bench",
            dependencies: [
                .product(name: "MissionCore", package: "MissionAuthority"),
                .product(name: "HTTPKit", package: "MissionAuthority"), "BenchSQLite", "BenchTrail", "CBenchShims",
            ]
        ),
        // Thread CPU time per VerifiableSignature.init on a token request (HTTPKit's signature parsing hot path).
        .executableTarget(
            name: "hk-bench",
            dependencies: [
                .product(name: "HTTPKit", package: "MissionAuthority"),
                .product(name: "MissionCore", package: "MissionAuthority"),
            ]
        ),
        // Thread CPU time per JSONValue.parse of a token request body and of an auth token payload.
        .executableTarget(
            name: "jp-bench",
            dependencies: [.product(name: "MissionCore", package: "MissionAuthority")]
        ),
        // The load client's parser, encoder and loop (`swift test` from this folder).
        .testTarget(
            name: "ma-benchTests",
            dependencies: [
                "ma-bench", .product(name: "MissionCore", package: "MissionAuthority"),
                .product(name: "HTTPKit", package: "MissionAuthority"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
