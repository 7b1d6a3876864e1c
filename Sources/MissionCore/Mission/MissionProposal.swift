import Foundation

/// A proposal as an agent sends it, in either form (DESIGN §3.2), validated strictly.
///
/// ```swift
/// let proposal = try MissionProposal.decode(requestBody)   // either form
/// ```
public struct MissionProposal: Hashable, Codable, Sendable {
    /// The largest proposal text accepted.
    public static let maximumTextBytes = 64 * 1024
    /// The most `tools` or `resources` items accepted.
    public static let maximumItems = 100
    /// The longest tool name or tool description accepted.
    public static let maximumToolFieldBytes = 4096

    /// The form the agent used; the approval answers in the same form.
    public let form: ApprovedMission.Form
    /// The Markdown (`mission_proposal` or `description`).
    public let text: String
    /// Current-draft form only.
    public let tools: [ProposedTool]
    public let resources: [ProposedResource]

    /// A validated proposal. Seed-form proposals cannot carry tools.
    public init(
        form: ApprovedMission.Form, text: String, tools: [ProposedTool] = [],
        resources: [ProposedResource] = []
    ) throws(MissionError) {
        try MissionProposal.validateText(text)
        if form == .markdown, !tools.isEmpty { throw .invalidProposal("tools: only in the description form") }
        guard tools.count <= MissionProposal.maximumItems else { throw .invalidProposal("tools: too many items") }
        guard resources.count <= MissionProposal.maximumItems else {
            throw .invalidProposal("resources: too many items")
        }
        for tool in tools {
            guard !tool.name.isEmpty, tool.name.utf8.count <= MissionProposal.maximumToolFieldBytes,
                tool.description.utf8.count <= MissionProposal.maximumToolFieldBytes
            else { throw .invalidProposal("tools: name must be 1…\(MissionProposal.maximumToolFieldBytes) bytes") }
        }
        guard Set(tools.map(\.name)).count == tools.count else { throw .invalidProposal("tools: duplicate name") }
        self.form = form
        self.text = text
        self.tools = tools
        self.resources = resources
    }

    /// Non-empty (not only whitespace), at most 64 KiB of UTF-8, no NUL or other C0 control
    /// characters except tab, LF and CR (they have no place in Markdown and confuse displays).
    public static func validateText(_ text: String, member: String = "text") throws(MissionError) {
        guard !text.unicodeScalars.allSatisfy(\.properties.isWhitespace) else {
            throw .invalidProposal("\(member): empty")
        }
        guard text.utf8.count <= maximumTextBytes else {
            throw .invalidProposal("\(member): longer than \(maximumTextBytes) bytes")
        }
        for scalar in text.unicodeScalars where scalar.value < 0x20 || scalar.value == 0x7F {
            guard scalar == "\t" || scalar == "\n" || scalar == "\r" else {
                throw .invalidProposal("\(member): control character U+\(String(scalar.value, radix: 16))")
            }
        }
    }

    /// The largest request body accepted: the text cap plus room for tools and resources.
    public static let maximumBodyBytes = 256 * 1024

    /// The members a proposal body may carry: those of the seed form (`mission_proposal`,
    /// `resources`), of the current form (`description`, `tools`, `resources`), and
    /// `capabilities` (wire notes §3.5: the body parameter agents send at PS endpoints; accepted
    /// and ignored).
    public static let memberNames: Set<String> = [
        "mission_proposal", "description", "tools", "resources", "capabilities",
    ]

    /// Decodes a request body of either form. Exactly one of `mission_proposal` and
    /// `description` must be present; duplicate member names are refused, and so is any member
    /// outside `memberNames` (`invalidProposal("unknown member \"name\"")`, the first in sorted
    /// order): a strict server refuses what it does not understand rather than approve a
    /// proposal whose meaning it may have missed.
    public static func decode(_ body: [UInt8]) throws(MissionError) -> MissionProposal {
        guard body.count <= maximumBodyBytes else {
            throw .invalidProposal("body larger than \(maximumBodyBytes) bytes")
        }
        switch JSONMemberCheck.firstProblem(in: body) {
        case .duplicateMember(let name)?: throw .invalidProposal("duplicate member \"\(name)\"")
        case .tooDeep?: throw .invalidProposal("nesting too deep")
        case nil: break
        }
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: Data(body))
        } catch let error as MissionError {
            throw error
        } catch DecodingError.dataCorrupted(let context) {
            throw .invalidProposal(location(context) + ": " + context.debugDescription)
        } catch DecodingError.typeMismatch(_, let context) {
            // With the route no longer parsing first, a body that is not an object lands here.
            throw .invalidProposal(
                context.codingPath.isEmpty ? "the body must be a JSON object" : location(context) + ": wrong type")
        } catch {
            throw .invalidProposal("body is not a valid proposal")
        }
        switch (wire.missionProposal, wire.description) {
        case (let text?, nil):
            guard wire.tools == nil else { throw .invalidProposal("tools: only in the description form") }
            return try MissionProposal(form: .markdown, text: text, resources: wire.resources ?? [])
        case (nil, let text?):
            return try MissionProposal(
                form: .blob, text: text, tools: wire.tools ?? [], resources: wire.resources ?? [])
        case (nil, nil):
            throw .invalidProposal("one of mission_proposal or description is required")
        case (.some, .some):
            throw .invalidProposal("mission_proposal and description are mutually exclusive")
        }
    }

    /// The member path of a decoding error (`resources.0.scopes`), or `body` at the top level.
    private static func location(_ context: DecodingError.Context) -> String {
        context.codingPath.isEmpty ? "body" : context.codingPath.map(\.stringValue).joined(separator: ".")
    }

    private struct Wire: Decodable {
        let missionProposal: String?
        let description: String?
        let tools: [ProposedTool]?
        let resources: [ProposedResource]?

        enum CodingKeys: String, CodingKey {
            case missionProposal = "mission_proposal", description, tools, resources
        }

        /// Any member name, to list what the object holds.
        struct AnyKey: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            // Unknown members first, before any value is read, so the answer names the member.
            let names = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
            if let unknown = names.sorted().first(where: { !MissionProposal.memberNames.contains($0) }) {
                throw MissionError.invalidProposal("unknown member \"\(unknown)\"")
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            missionProposal = try container.decodeIfPresent(String.self, forKey: .missionProposal)
            description = try container.decodeIfPresent(String.self, forKey: .description)
            tools = try container.decodeIfPresent([ProposedTool].self, forKey: .tools)
            resources = try container.decodeIfPresent([ProposedResource].self, forKey: .resources)
        }
    }
}
