import Foundation
import HTTPKit
import MissionCore

extension JSONResponse {
    /// A page of missions, `{"missions":[…],"next_cursor":"…"}`, written from each mission's
    /// memoized canonical bytes: byte for byte what `make(_:)` writes for the same tree.
    ///
    /// The splice follows `CanonicalJSON`'s rules for the page object: members sorted by name
    /// (RFC 8785 §3.2.3; "missions" < "next_cursor"), no whitespace, array elements in order, and
    /// the two member names need no escaping. The cursor goes through `CanonicalJSON` itself.
    static func missionPage(_ page: Page<Mission>, at now: Date, memo: EncodedMissionMemo) -> HTTPResponse {
        do {
            var parts: [[UInt8]] = []
            parts.reserveCapacity(page.items.count)
            var total = 32
            for mission in page.items {
                let bytes = try memo.encoded(mission, at: now)
                total += bytes.count + 1
                parts.append(bytes)
            }
            var cursor: [UInt8] = []
            if let next = page.nextCursor {
                cursor = try CanonicalJSON.encode(.string(next))
                total += cursor.count
            }
            var body: [UInt8] = []
            body.reserveCapacity(total)
            body.append(contentsOf: #"{"missions":["#.utf8)
            for (position, part) in parts.enumerated() {
                if position > 0 { body.append(UInt8(ascii: ",")) }
                body.append(contentsOf: part)
            }
            body.append(UInt8(ascii: "]"))
            if !cursor.isEmpty {
                body.append(contentsOf: #","next_cursor":"#.utf8)
                body.append(contentsOf: cursor)
            }
            body.append(UInt8(ascii: "}"))
            return make(encoded: body)
        } catch {
            // As in `make(_:)`: only a non-finite number can fail, and no representation holds one.
            return .problem(status: .internalServerError, error: "server_error")
        }
    }
}
