import ArgumentParser

/// A `--resource` of `agent propose`: `ORIGIN` alone, or `ORIGIN:scope1,scope2`.
///
/// The scopes follow the last `:`, unless that colon belongs to the scheme (`https://api.example`) or what follows
/// it is a port number (`http://127.0.0.1:9000`); a purely numeric scope therefore cannot be written this way.
struct ResourceArgument: Equatable, Sendable, ExpressibleByArgument {
    let origin: String
    let scopes: [String]

    init(origin: String, scopes: [String]) {
        self.origin = origin
        self.scopes = scopes
    }

    init?(argument: String) {
        try? self.init(parsing: argument)
    }

    init(parsing text: String) throws {
        var origin = text
        var scopes: [String] = []
        if let colon = text.lastIndex(of: ":") {
            let before = text[..<colon]
            let after = text[text.index(after: colon)...]
            let isScheme = !before.contains("://") && after.hasPrefix("//")
            let isPort = !after.isEmpty && after.allSatisfy(\.isASCIIDigit)
            if !isScheme && !isPort {
                origin = String(before)
                scopes = after.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard !scopes.isEmpty, scopes.allSatisfy({ !$0.isEmpty && !$0.contains(" ") }) else {
                    throw ValidationError("--resource \(text): scopes are a comma-separated list without spaces")
                }
            }
        }
        guard origin.hasPrefix("https://") || origin.hasPrefix("http://"), origin.count > "https://".count else {
            throw ValidationError(
                "--resource \(text): expected ORIGIN or ORIGIN:scope1,scope2 (ORIGIN as https://host)")
        }
        self.init(origin: origin, scopes: scopes)
    }

    /// The proposal's `resources` item: the URL string, or `{"resource", "scopes"}` (DESIGN §3.2).
    var jsonObject: Any {
        scopes.isEmpty ? origin : ["resource": origin, "scopes": scopes] as [String: Any]
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
