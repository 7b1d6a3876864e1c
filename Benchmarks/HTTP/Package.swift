// swift-tools-version:6.0
import PackageDescription

// A package of its own so that Hummingbird (the yardstick) never becomes a dependency of the
// product: only these two benchmark servers see it. Run `./compare` from this folder.
let package = Package(
    name: "HTTPBenchmarks",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "httpkit-bench-server", targets: ["HTTPKitBenchServer"]),
        .executable(name: "hummingbird-bench-server", targets: ["HummingbirdBenchServer"]),
    ],
    dependencies: [
        .package(name: "MissionAuthority", path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
    ],
    targets: [
        // What both servers must do identically: the options, the /echo payload and its reply.
        .target(name: "BenchSupport"),
        .executableTarget(
            name: "HTTPKitBenchServer",
            dependencies: [
                "BenchSupport",
                .product(name: "HTTPKit", package: "MissionAuthority"),
            ]
        ),
        .executableTarget(
            name: "HummingbirdBenchServer",
            dependencies: [
                "BenchSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
