import Foundation
import Testing

@testable import MAServer

/// Egress admission for key discovery, as pure functions (wire notes §1.8).
@Suite struct AgentAuthenticationEgressTests {
    @Test(arguments: [
        ("8.8.8.8", IPAddress.Classification.publicUnicast), ("93.184.216.34", .publicUnicast),
        ("0.0.0.0", .unspecified), ("127.0.0.1", .loopback), ("127.255.0.9", .loopback),
        ("10.1.2.3", .privateUse), ("172.16.0.1", .privateUse), ("172.31.255.255", .privateUse),
        ("172.32.0.1", .publicUnicast), ("192.168.1.1", .privateUse), ("100.64.0.1", .privateUse),
        ("169.254.169.254", .linkLocal), ("224.0.0.1", .multicast), ("239.255.255.250", .multicast),
        ("255.255.255.255", .reserved), ("240.0.0.1", .reserved), ("192.0.2.1", .reserved), ("198.18.0.1", .reserved),
        ("::", .unspecified), ("::1", .loopback), ("fe80::1", .linkLocal), ("fc00::1", .privateUse),
        ("fd12:3456::1", .privateUse), ("fec0::1", .privateUse), ("ff02::1", .multicast), ("2001:db8::1", .reserved),
        ("2606:4700:4700::1111", .publicUnicast), ("::ffff:127.0.0.1", .loopback), ("::ffff:10.0.0.1", .privateUse),
        ("::ffff:8.8.8.8", .publicUnicast), ("::ffff:169.254.169.254", .linkLocal), ("64:ff9b::7f00:1", .loopback),
        ("::127.0.0.1", .reserved),
    ])
    func classification(address: String, expected: IPAddress.Classification) throws {
        #expect(try #require(IPAddress(address)).classification == expected)
    }

    @Test(arguments: [
        "", "localhost", "1.2.3", "0x7f.0.0.1", "017.0.0.1", "1.2.3.4.5", "256.1.1.1", "[::1]", "fe80::1%eth0",
    ])
    func refusesNonLiterals(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func descriptionRoundTrips() throws {
        #expect(try #require(IPAddress("::ffff:127.0.0.1")).description == "::ffff:127.0.0.1")
        #expect(try #require(IPAddress("10.0.0.1")).description == "10.0.0.1")
    }

    @Test(arguments: [
        ("https://agent.example/.well-known/aauth-agent.json", true),
        ("http://agent.example/jwks.json", false),
        ("ftp://agent.example/jwks.json", false),
        ("https://user:pw@agent.example/jwks.json", false),
        ("https://agent.example/jwks.json#frag", false),
        ("https://127.0.0.1/jwks.json", false),
        ("https://[::1]/jwks.json", false),
        ("https://[::ffff:10.0.0.1]/jwks.json", false),
        ("https://169.254.169.254/latest/meta-data", false),
        ("https://8.8.8.8/jwks.json", true),
        ("/relative/jwks.json", false),
    ])
    func urlChecks(url: String, allowed: Bool) throws {
        let policy = EgressPolicy()
        let result = policy.check(try #require(URL(string: url)))
        if case .success = result { #expect(allowed) } else { #expect(!allowed) }
    }

    @Test func developmentPolicyAllowsHTTPAndPrivateAddresses() throws {
        let policy = EgressPolicy(allowsPrivateAddresses: true, allowsHTTP: true)
        #expect((try? policy.check(try #require(URL(string: "http://127.0.0.1:9000/jwks.json"))).get()) != nil)
    }

    @Test func admissionNeedsEveryAddressPublic() throws {
        let policy = EgressPolicy()
        let public1 = try #require(IPAddress("93.184.216.34"))
        let loopback = try #require(IPAddress("127.0.0.1"))
        #expect((try? policy.admit([public1]).get()) != nil)
        #expect(policy.admit([public1, loopback]).failure == .forbiddenAddress("127.0.0.1 is loopback"))
        #expect(policy.admit([]).failure == .resolutionFailed("no addresses"))
        #expect((try? EgressPolicy(allowsPrivateAddresses: true).admit([loopback]).get()) != nil)
    }

    @Test(arguments: [
        ("https://a.example/x", "https://a.example/y", true),
        ("https://a.example/x", "https://A.EXAMPLE/y", true),
        ("https://a.example/x", "https://b.example/x", false),
        ("https://a.example/x", "http://a.example/x", false),
        ("https://a.example/x", "https://a.example:8443/x", false),
        ("https://a.example/x", "https://a.example.evil.test/x", false),
    ])
    func redirects(from: String, to: String, allowed: Bool) throws {
        let policy = EgressPolicy()
        #expect(
            policy.allowsRedirect(from: try #require(URL(string: from)), to: try #require(URL(string: to))) == allowed)
    }

    @Test(arguments: [
        ("https://agent.example/jwks.json", true), ("https://AGENT.example/k", true),
        ("https://keys.agent.example/jwks.json", false), ("http://agent.example/jwks.json", false),
        ("https://agent.example:444/jwks.json", false),
    ])
    func sameOrigin(url: String, expected: Bool) throws {
        #expect(EgressPolicy.isSameOrigin(try #require(URL(string: url)), "https://agent.example") == expected)
    }
}
