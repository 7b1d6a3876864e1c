import Foundation
import Testing
@testable import MissionCore

@Suite struct JSONParserTests {
    @Test func parsesEveryKind() throws {
        let value = try JSONValue.parse(
            Array(
                #" {"s":"a\u00e9\ud83d\ude00\n","i":-12,"d":1.5,"e":1e2,"t":true,"f":false,"n":null,"a":[1,[]],"o":{}} "#
                    .utf8))
        #expect(value["s"] == .string("aé😀\n"))
        #expect(value["i"] == .integer(-12))
        #expect(value["d"] == .number(1.5))
        #expect(value["e"] == .number(100))
        #expect(value["e"]?.integerValue == 100)
        #expect(value["t"] == .bool(true))
        #expect(value["f"] == .bool(false))
        #expect(value["n"] == .null)
        #expect(value["a"] == [1, []])
        #expect(value["o"] == .object([:]))
    }

    @Test(arguments: [
        #"{"a":1,"a":2}"#,  // duplicate member (Foundation would keep the last)
        #"{"a":{"b":1,"b":1}}"#,  // nested duplicate
        #"{"a":1}x"#, #"{"a":1,}"#, #"[1,]"#, "", " ", #"{"a"}"#, #"{a:1}"#, "01", "1.", ".5", "-", "1e", "+1",
        "tru", "nul", #""\x""#, #""\ud800""#, #""\udc00""#, #""\ud800\u0041""#, "\"a\u{01}\"", #""unterminated"#,
        "\u{FEFF}{}", "NaN", "Infinity", "1e999", #"{"a":1}{"b":2}"#,
    ])
    func rejectsMalformed(text: String) {
        #expect(throws: JOSEError.self) { try JSONValue.parse(Array(text.utf8)) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JOSEError.malformed("JSON is not valid UTF-8")) {
            try JSONValue.parse([UInt8(ascii: "\""), 0xC3, 0x28, UInt8(ascii: "\"")])
        }
    }

    @Test func limitsDepth() throws {
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        #expect(throws: JOSEError.self) { try JSONValue.parse(Array(deep.utf8), maxDepth: 32) }
        _ = try JSONValue.parse(Array(deep.utf8), maxDepth: 40)
    }

    @Test func duplicateMessageNamesTheMember() {
        #expect(throws: JOSEError.malformed("duplicate member name \"iss\"")) {
            try JSONValue.parse(Array(#"{"iss":"a","iss":"b"}"#.utf8))
        }
    }

    @Test func convertsFoundationValues() throws {
        let data = Data(#"{"b":true,"i":3,"one":1,"zero":0,"d":2.5,"n":null,"s":"x","a":[false,true]}"#.utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let value = try JSONValue(any: object)
        #expect(value == ["b": true, "i": 3, "one": 1, "zero": 0, "d": 2.5, "n": nil, "s": "x", "a": [false, true]])
        let literal: [String: Any] = [
            "t": true, "f": false, "i": 1, "z": 0, "i64": Int64(7), "d": 1.0, "nested": ["x": [1, "y"]],
        ]
        #expect(
            try JSONValue(any: literal) == [
                "t": true, "f": false, "i": 1, "z": 0, "i64": 7, "d": 1.0, "nested": ["x": [1, "y"]],
            ])
        #expect(throws: JOSEError.self) { try JSONValue(any: ["d": Date()]) }
    }
}

@Suite struct CanonicalJSONTests {
    @Test func sortsAndEscapesMinimally() throws {
        // Expected output produced by python: json.dumps(sort_keys=True, separators=(',',':'),
        // ensure_ascii=False), except that JCS orders by UTF-16 code units: U+1F600 (D83D DE00)
        // sorts before U+FF61, unlike Python's code point order.
        let value: JSONValue = [
            "b": 1, "a": [true, nil, "x/y"], "é": "\u{2028}\u{01}\"\\", "\u{1F600}": 0, "\u{FF61}": -5,
        ]
        #expect(
            try CanonicalJSON.string(value)
                == "{\"a\":[true,null,\"x/y\"],\"b\":1,\"é\":\"\u{2028}\\u0001\\\"\\\\\",\"😀\":0,\"｡\":-5}")
    }

    @Test func controlCharacterEscapes() throws {
        #expect(try CanonicalJSON.string(.string("\u{08}\u{09}\u{0A}\u{0C}\u{0D}\u{1F}")) == #""\b\t\n\f\r\u001f""#)
    }

    @Test func numbers() throws {
        #expect(
            try CanonicalJSON.string([.integer(Int64.max), .integer(-1), .number(3.0), .number(-0.0)])
                == "[9223372036854775807,-1,3,0]")
        #expect(throws: JOSEError.self) { try CanonicalJSON.encode(.number(1.5)) }
        #expect(throws: JOSEError.self) { try CanonicalJSON.encode(.number(1e300)) }
        #expect(throws: JOSEError.self) { try CanonicalJSON.encode(.number(.nan)) }
    }

    @Test func foundationInputAndRoundTrip() throws {
        let dictionary: [String: Any] = ["z": [1, 2], "a": ["y": NSNull(), "x": false], "m": "text"]
        let bytes = try CanonicalJSON.encode(any: dictionary)
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"a":{"x":false,"y":null},"m":"text","z":[1,2]}"#)
        #expect(try CanonicalJSON.encode(JSONValue.parse(bytes)) == bytes)
    }

    @Test func orderedObjectKeepsOrder() throws {
        let bytes = try CanonicalJSON.encodeObject(orderedMembers: [("alg", "Ed25519"), ("typ", "JWT"), ("kid", "k/1")])
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"alg":"Ed25519","typ":"JWT","kid":"k/1"}"#)
    }
}
