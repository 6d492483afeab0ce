// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "autoprov",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "autoprov", targets: ["autoprov"]),
        .executable(name: "phonesim", targets: ["phonesim"]),
        .library(name: "DHCPv4", targets: ["DHCPv4"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Wire format: pure, no I/O, no dependencies.
        .target(name: "DHCPv4"),
        // What a value may contain in any output format (one definition): pure, no dependencies.
        .target(name: "SafeText"),
        // Leases, devices, groups and events, SQLite through GRDB.
        .target(name: "Store", dependencies: [
            "SafeText",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "CSV", package: "CSV.swift"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            "DHCPv4",
        ]),
        // Classification, allocation, reply building, transports.
        .target(name: "DHCPServer", dependencies: [
            "DHCPv4", "Store", "Reloading", "PacketCapture",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),
        // A value a reload (SIGHUP) swaps under running services.
        .target(name: "Reloading"),
        // What `serve` waits for before it is ready (store, listeners): /readyz and READY=1. Pure.
        .target(name: "ListenerReadiness"),
        // Vendor profiles, template lookup and rendering (device + context -> bytes).
        .target(name: "Rendering", dependencies: [
            "DHCPv4", "Store", "SafeText",
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Yams", package: "Yams"),
        ]),
        // HTTP: config files for phones, the JSON admin API.
        .target(name: "ConfigServer", dependencies: [
            "DHCPv4", "Store", "Rendering", "DigestAuth", "Reloading", "ListenerReadiness",
            .product(name: "Hummingbird", package: "hummingbird"),
            // HTTP1Channel's configuration: the admin listener's channel handlers.
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            // The admin listener's (Hummingbird's) request parts, for its request deadline.
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The auth-param list of Digest headers, shared by every side that reads them.
        .target(name: "DigestAuth"),
        // libxml2 as a system library (the phones' replies need its recover mode).
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        // libpcap as a system library (raw DHCP transport, observe mode, capture).
        .systemLibrary(name: "CPcap", providers: [.apt(["libpcap-dev"])]),
        // Whole frames on the wire: libpcap handles, Ethernet/IPv4/UDP encoding.
        .target(name: "PacketCapture", dependencies: ["CPcap", "DHCPv4"]),
        // Observe mode: learn leases from another DHCP server's ACKs (libpcap, never sends); capture lines.
        .target(name: "DHCPObserver", dependencies: [
            "DHCPv4", "DHCPServer", "Store", "PacketCapture",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // Client of the phones' HTTP API (POST /xmlService): requests, lenient replies.
        .target(name: "PhoneAPI", dependencies: [
            "CLibXML2", "DigestAuth", "SafeText",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The durable per-device job: reachable -> pushed -> verified, worker pool, backoff.
        .target(name: "PostProvision", dependencies: [
            "PhoneAPI", "Store", "Rendering", "DHCPv4", "Reloading",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The SIP message codec (RFC 3261 §7): lenient parsing, serialization; pure, no I/O.
        .target(name: "SIPWire"),
        // SIP PnP (RFC 6080 ua-profile): answers multicast SUBSCRIBEs with the provisioning URL.
        .target(name: "SIPPnP", dependencies: [
            "SIPWire", "DHCPv4", "Store",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // Simulated Fanvil phones (DHCP through a relay, config fetch, xmlService, SIP REGISTER, SIP PnP).
        .target(name: "PhoneSim", dependencies: [
            "DHCPv4", "PhoneAPI", "CLibXML2", "DigestAuth", "SIPWire",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(name: "phonesim", dependencies: [
            "PhoneSim", "DHCPv4",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // systemd's notification protocol (READY=1, STOPPING=1, WATCHDOG=1) without libsystemd.
        .target(name: "SystemdNotify", dependencies: [
            "ListenerReadiness",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The typed configuration file.
        .target(name: "AutoprovConfig", dependencies: [
            "DHCPv4", "DHCPServer", "Store", "ConfigServer", "Rendering", "PostProvision", "SIPPnP",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Yams", package: "Yams"),
        ]),
        .executableTarget(name: "autoprov", dependencies: [
            "DHCPv4", "Store", "DHCPServer", "AutoprovConfig", "Rendering", "ConfigServer",
            "PhoneAPI", "PostProvision", "SystemdNotify", "ListenerReadiness", "Reloading", "DHCPObserver", "PacketCapture", "SIPPnP",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        // The hot path without sockets, for profiling (bench/EngineBench).
        .executableTarget(name: "engine-bench", dependencies: ["DHCPServer", "DHCPv4"], path: "bench/EngineBench"),
        .testTarget(name: "DHCPv4Tests", dependencies: ["DHCPv4"]),
        .testTarget(name: "StoreTests", dependencies: [
            "Store", "DHCPv4", "SafeText", .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "DHCPServerTests", dependencies: [
            "DHCPServer", "Store", "DHCPv4", "Reloading", "PacketCapture", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "RenderingTests", dependencies: ["Rendering", "Store", "DHCPv4", "SafeText", "PhoneAPI", "CLibXML2"]),
        .testTarget(name: "SafeTextTests", dependencies: ["SafeText"]),
        .testTarget(name: "ConfigServerTests", dependencies: [
            "ConfigServer", "Rendering", "Store", "DHCPv4", "Reloading", "ListenerReadiness",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        .testTarget(name: "PhoneAPITests", dependencies: [
            "PhoneAPI", "CLibXML2",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "PostProvisionTests", dependencies: ["PostProvision", "PhoneAPI", "Store", "DHCPv4", "Reloading"]),
        .testTarget(name: "PhoneSimTests", dependencies: [
            "PhoneSim", "PhoneAPI", "DHCPv4", "SIPPnP",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .testTarget(name: "SystemdNotifyTests", dependencies: [
            "SystemdNotify", "ListenerReadiness",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "ListenerReadinessTests", dependencies: ["ListenerReadiness"]),
        .testTarget(name: "PacketCaptureTests", dependencies: ["PacketCapture", "DHCPv4"]),
        .testTarget(name: "DHCPObserverTests", dependencies: ["DHCPObserver", "DHCPServer", "PacketCapture", "Store", "DHCPv4"]),
        .testTarget(name: "AutoprovConfigTests", dependencies: ["AutoprovConfig", "ConfigServer", "DHCPServer", "DHCPv4", "SIPPnP"]),
        .testTarget(name: "SIPWireTests", dependencies: ["SIPWire"]),
        .testTarget(name: "SIPPnPTests", dependencies: ["SIPPnP", "SIPWire", "DHCPv4", "Store"]),
    ]
)
