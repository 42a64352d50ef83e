// swift-tools-version:6.2
import PackageDescription

// MARK: - Settings

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]
/// Tests may use what their dependencies re-export without naming every module.
let testSwiftSettings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

// MARK: - Dependencies (only versions this workplace can resolve; see docs/development.md)

let dependencies: [Package.Dependency] = [
    .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
    .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
    .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
    .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
    .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
]

// MARK: - Contracts and sector plugins

let sectorPlugins = ["DryCleaning", "Carpet", "ShoeShine", "Tailoring", "CarWash", "RetailLoyalty"]

let contractTargets: [Target] = [
    .target(
        name: "Contracts",
        path: "Contracts",
        exclude: ["README.md"],
        resources: [.embedInCode("openapi.yaml")],
        swiftSettings: swiftSettings
    )
] + sectorPlugins.map { name in
    .target(name: name, dependencies: ["Contracts"], path: "Plugins/\(name)", swiftSettings: swiftSettings)
}

/// The front desk's templates, stylesheet and script, kept as files and compiled into the module.
let webResources = [
    "Pages/layout.mustache", "Pages/error.mustache", "Assets/app.css", "Assets/app.js",
    "Screens/SignIn/sign-in.mustache", "Screens/Home/home.mustache", "Screens/Home/customer-results.mustache",
    "Screens/Customer/customer.mustache", "Screens/NewOrder/new-order.mustache", "Screens/NewOrder/quote.mustache",
    "Screens/Order/order.mustache", "Screens/Order/receipt.mustache", "Screens/Scan/scan.mustache",
    "Screens/Courier/courier.mustache", "Screens/Board/board.mustache", "Screens/Dashboard/dashboard.mustache",
    "Screens/Settings/settings.mustache", "Screens/Account/account.mustache", "Screens/Account/payment.mustache",
    "Screens/Collections/overdue.mustache", "Screens/Collections/uncollected.mustache", "Screens/Invoices/invoices.mustache",
    "Screens/Loyalty/loyalty.mustache",
]

// MARK: - Server modules (dependency direction: Contracts ← Storage, Queue ← Kernel ← Notify ← Accounts ← Invoicing, Accounts ← Loyalty; all ← HTTPAPI, WebUI, Workers ← crm)

let serverTargets: [Target] = [
    .target(
        name: "Storage",
        dependencies: [
            "Contracts",
            .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "PostgresKit", package: "postgres-kit"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "SQLiteKit", package: "sqlite-kit"),
            .product(name: "SQLiteNIO", package: "sqlite-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
        swiftSettings: swiftSettings
    ),
    .target(
        name: "Queue",
        dependencies: [
            "Contracts",
            "Storage",
            .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "NIOCore", package: "swift-nio"),
        ],
        swiftSettings: swiftSettings
    ),
    .target(
        name: "Kernel",
        dependencies: [
            "Contracts",
            "Storage",
            "Queue",
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ],
        swiftSettings: swiftSettings
    ),
    .target(
        name: "Notify",
        dependencies: [
            "Contracts",
            "Storage",
            "Queue",
            "Kernel",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOFoundationCompat", package: "swift-nio"),
            .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "Logging", package: "swift-log"),
        ],
        resources: [.embedInCode("Pages/unsubscribe.mustache")],
        swiftSettings: swiftSettings
    ),
    .target(
        name: "Accounts",
        dependencies: [
            "Contracts", "Storage", "Queue", "Kernel", "Notify",
            .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ],
        swiftSettings: swiftSettings
    ),
    .target(
        name: "Invoicing",
        dependencies: [
            "Contracts", "Storage", "Queue", "Kernel", "Accounts",
            .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ],
        resources: [.embedInCode("Pages/invoice.mustache")],
        swiftSettings: swiftSettings
    ),
    .target(
        name: "Loyalty",
        dependencies: [
            "Contracts", "Storage", "Queue", "Kernel", "Notify", "Accounts",
            .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "Logging", package: "swift-log"),
        ],
        swiftSettings: swiftSettings
    ),
    .target(
        name: "HTTPAPI",
        dependencies: [
            "Contracts",
            "Kernel",
            "Notify",
            "Accounts",
            "Invoicing",
            "Loyalty",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOFoundationCompat", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
        swiftSettings: swiftSettings
    ),
    .target(
        name: "WebUI",
        dependencies: [
            "Contracts",
            "Kernel",
            "Notify",
            "Accounts",
            "Invoicing",
            "Loyalty",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOFoundationCompat", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ],
        exclude: ["README.md"],
        resources: webResources.map { .embedInCode($0) },
        swiftSettings: swiftSettings
    ),
    .target(
        name: "Workers",
        dependencies: [
            "Queue",
            "Kernel",
            "Notify",
            "Accounts",
            "Invoicing",
            "Loyalty",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
        swiftSettings: swiftSettings
    ),
    .executableTarget(
        name: "crm",
        dependencies: [
            "Contracts",
            "Storage",
            "Kernel",
            "HTTPAPI",
            "WebUI",
            "Queue",
            "Notify",
            "Accounts",
            "Invoicing",
            "Loyalty",
            "Workers",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Hummingbird", package: "hummingbird"),
        ] + sectorPlugins.map { .target(name: $0) },
        swiftSettings: swiftSettings
    ),
    .executableTarget(
        name: "crm-bench",
        dependencies: [
            "Contracts",
            "Storage",
            "Queue",
            "Kernel",
            "Notify",
            // The local Netgsm gateway and the shipped sectors, as the tests have them.
            "TestSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "SQLKit", package: "sql-kit"),
        ],
        swiftSettings: swiftSettings
    ),
    // The bare baseline of Benchmarks/api.sh: Hummingbird and the drivers, none of the product's code.
    .executableTarget(
        name: "crm-bare-read",
        dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "SQLiteNIO", package: "sqlite-nio"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOFoundationCompat", package: "swift-nio"),
        ],
        path: "Benchmarks/BareRead",
        swiftSettings: swiftSettings
    ),
]

// MARK: - Tests

let testTargets: [Target] = [
    .target(
        name: "TestSupport",
        dependencies: [
            "Contracts", "Storage", "Kernel", "Queue", "Notify", "Accounts", "Invoicing", "Loyalty",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ] + sectorPlugins.map { .target(name: $0) },
        path: "Tests/TestSupport",
        swiftSettings: testSwiftSettings
    ),
    .testTarget(name: "ContractsTests", dependencies: ["Contracts"] + sectorPlugins.map { .target(name: $0) }, swiftSettings: testSwiftSettings),
    .testTarget(
        name: "StorageTests",
        dependencies: ["Storage", "TestSupport", .product(name: "SQLKit", package: "sql-kit")],
        swiftSettings: testSwiftSettings
    ),
    .testTarget(
        name: "KernelTests",
        dependencies: ["Kernel", "Storage", "TestSupport", .product(name: "SQLKit", package: "sql-kit")],
        swiftSettings: testSwiftSettings
    ),
    .testTarget(
        name: "HTTPAPITests",
        dependencies: [
            "HTTPAPI", "Kernel", "Notify", "Storage", "TestSupport", "Workers",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "SQLKit", package: "sql-kit"),
        ] + sectorPlugins.map { .target(name: $0) },
        swiftSettings: testSwiftSettings
    ),
    .testTarget(
        name: "QueueTests",
        dependencies: ["Queue", "Storage", "TestSupport", .product(name: "SQLKit", package: "sql-kit"),
                       .product(name: "Prometheus", package: "swift-prometheus")],
        swiftSettings: testSwiftSettings
    ),
    .testTarget(
        name: "NotifyTests",
        dependencies: [
            "Notify", "Kernel", "Queue", "Storage", "TestSupport", "Workers",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ] + sectorPlugins.map { .target(name: $0) },
        swiftSettings: testSwiftSettings
    ),
    .testTarget(
        name: "AccountsTests",
        dependencies: [
            "Accounts", "Invoicing", "Kernel", "Queue", "Storage", "TestSupport", "Workers",
            .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ] + sectorPlugins.map { .target(name: $0) },
        swiftSettings: testSwiftSettings
    ),
    .testTarget(
        name: "LoyaltyTests",
        dependencies: [
            "Loyalty", "Kernel", "Queue", "Storage", "TestSupport", "Workers",
            .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "Logging", package: "swift-log"),
        ] + sectorPlugins.map { .target(name: $0) },
        swiftSettings: testSwiftSettings
    ),
    .testTarget(
        name: "WebUITests",
        dependencies: [
            "WebUI", "Kernel", "Contracts", "Notify", "Storage", "TestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "NIOCore", package: "swift-nio"),
        ],
        swiftSettings: testSwiftSettings
    ),
    .testTarget(
        name: "CLITests",
        dependencies: ["crm", "crm-bench", "TestSupport", "Kernel", "Notify", .product(name: "SQLKit", package: "sql-kit")],
        swiftSettings: testSwiftSettings
    ),
]

let package = Package(
    name: "crm",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "crm", targets: ["crm"]),
        .library(name: "Contracts", targets: ["Contracts"]),
    ],
    dependencies: dependencies,
    targets: contractTargets + serverTargets + testTargets
)
