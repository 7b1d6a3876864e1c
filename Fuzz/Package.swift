// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets, one executable product each. Kept out of the root package: they need
// `--sanitize fuzzer` builds and must never be part of `swift build` of the product. See
// Docs/Testing.md for the recipe (scripts/battery, scripts/soak).
let fuzzTargets = [
    "FuzzHTTPRequestParser", "FuzzStructuredFields", "FuzzJOSE", "FuzzJSONDecoders",
]

let package = Package(
    name: "MissionAuthorityFuzz",
    platforms: [.macOS(.v14)],
    products: fuzzTargets.map { .executable(name: $0, targets: [$0]) },
    dependencies: [.package(name: "MissionAuthority", path: "..")],
    targets: [
        .executableTarget(
            name: "FuzzHTTPRequestParser",
            dependencies: [.product(name: "HTTPKit", package: "MissionAuthority")]),
        .executableTarget(
            name: "FuzzStructuredFields",
            dependencies: [.product(name: "HTTPKit", package: "MissionAuthority")]),
        .executableTarget(
            name: "FuzzJOSE",
            dependencies: [.product(name: "MissionCore", package: "MissionAuthority")]),
        .executableTarget(
            name: "FuzzJSONDecoders",
            dependencies: [.product(name: "MissionCore", package: "MissionAuthority")]),
    ],
    swiftLanguageModes: [.v6]
)
