import Testing

@testable import HTTPKit

@Suite("Structured fields: Prefer, Retry-After and AAuth-Requirement helpers")
struct StructuredFieldsHelpersTests {
    @Test(
        "Prefer wait",
        arguments: [
            ("wait=10", 10 as Int?),
            ("respond-async, wait=100", 100),
            ("WAIT = 5", 5),
            ("wait=\"7\"", 7),
            ("return=minimal; foo=\"a,b\", wait=3", 3),
            ("wait=3, wait=9", 3),
            ("wait=abc, wait=9", nil),
            ("wait=-1", nil),
            ("wait=", nil),
            ("wait", nil),
            ("handling=lenient", nil),
            ("", nil),
            ("wait=99999999999999999999", PreferHeader.maxWait),
            ("wait=100000", PreferHeader.maxWait),
            ("wait=12;x=1", 12),
        ])
    func preferWait(value: String, expected: Int?) {
        #expect(PreferHeader(parsing: value).wait == expected)
    }

    @Test("Retry-After in seconds, never negative")
    func retryAfter() {
        #expect(RetryAfter.fieldValue(seconds: 5) == "5")
        #expect(RetryAfter.fieldValue(seconds: 0) == "0")
        #expect(RetryAfter.fieldValue(seconds: -3) == "0")
    }

    @Test("AAuth-Requirement serialization and parsing")
    func requirement() throws {
        #expect(try AAuthRequirement.approval.fieldValue() == "requirement=approval")
        let interaction = AAuthRequirement.interaction(url: "https://ma.example/i", code: "A1B2-C3D4")
        let text = try interaction.fieldValue()
        #expect(text == "requirement=interaction;url=\"https://ma.example/i\";code=\"A1B2-C3D4\"")
        #expect(try AAuthRequirement(parsing: text) == interaction)
        #expect(try AAuthRequirement(parsing: "requirement=claims, other=1").requirement == "claims")
        #expect(throws: StructuredFieldError.missingMember("requirement")) {
            try AAuthRequirement(parsing: "requirement=\"approval\"")
        }
        #expect(throws: StructuredFieldError.missingMember("requirement")) { try AAuthRequirement(parsing: "x=1") }
        #expect(throws: StructuredFieldError.invalidToken("not a token")) {
            try AAuthRequirement("not a token").fieldValue()
        }
    }
}
