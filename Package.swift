// swift-tools-version:6.0
import PackageDescription

// The customer's layout: HTTPKit knows nothing of missions, MissionCore knows nothing of HTTP,
// MAServer (the `maserver` executable) is the only place that knows both.
let package = Package(
    name: "MissionAuthority",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "HTTPKit", targets: ["HTTPKit"]),
        .library(name: "MissionCore", targets: ["MissionCore"]),
        .executable(name: "maserver", targets: ["MAServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(name: "CSystemShims"),
        .target(name: "HTTPKit", dependencies: ["CSystemShims"]),
        .target(
            name: "MissionCore",
            dependencies: ["COpenSSL", "CSQLite"]
        ),
        .executableTarget(
            name: "MAServer",
            dependencies: [
                "HTTPKit",
                "MissionCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "HTTPKitTests", dependencies: ["HTTPKit"]),
        .testTarget(name: "MissionCoreTests", dependencies: ["MissionCore"]),
        .testTarget(name: "MAServerTests", dependencies: ["MAServer", "HTTPKit", "MissionCore"]),
    ],
    swiftLanguageModes: [.v6]
)
