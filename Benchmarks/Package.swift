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
        .executableTarget(
            name: "mc-bench",
            dependencies: [.product(name: "MissionCore", package: "MissionAuthority"), "BenchSQLite"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
