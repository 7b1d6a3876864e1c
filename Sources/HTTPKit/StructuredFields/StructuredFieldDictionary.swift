extension StructuredField {
    /// An ordered Dictionary (RFC 8941 §3.2) that also remembers each member's text as received.
    public struct Dictionary: Hashable, Sendable {
        /// One member: its key, parsed value and, when parsed, the raw text of the value.
        public struct Member: Hashable, Sendable {
            /// The member key.
            public var key: String
            /// The parsed value.
            public var value: ListMember
            /// The received text after `key=` through the last parameter (or after `key` for a bare `true`
            /// member); `nil` for members built in code. RFC 9421 verifiers may sign over this exact text.
            public var rawValue: String?

            /// Creates a member.
            public init(key: String, value: ListMember, rawValue: String? = nil) {
                self.key = key
                self.value = value
                self.rawValue = rawValue
            }
        }

        /// Members in order; keys are unique.
        public private(set) var members: [Member]
        /// Keys that appeared more than once in the parsed text. RFC 8941 §4.2.2 keeps the last value in the first
        /// position; callers for whom a repeat is suspicious (signature labels) can refuse it.
        public private(set) var repeatedKeys: [String]

        /// Creates an empty dictionary.
        public init() {
            members = []
            repeatedKeys = []
        }

        /// Creates a dictionary from members in order; later duplicates overwrite earlier ones.
        public init(_ members: [Member]) {
            self.init()
            for member in members { insert(member, recordingRepeat: false) }
        }

        /// Number of members.
        public var count: Int { members.count }

        /// True when there are no members.
        public var isEmpty: Bool { members.isEmpty }

        /// The keys in order.
        public var keys: [String] { members.map(\.key) }

        /// The member with `key`.
        public func member(_ key: String) -> Member? {
            members.first { $0.key == key }
        }

        /// The position of the member with `key` in `members`: its parts can then be read without a copy of it.
        func index(of key: String) -> Int? {
            members.firstIndex { $0.key == key }
        }

        /// Whether a member has `key` (without copying the member out).
        func containsKey(_ key: String) -> Bool {
            members.contains { $0.key == key }
        }

        /// The value for `key`; setting `nil` removes it, setting an existing key keeps its position.
        public subscript(key: String) -> ListMember? {
            get { member(key)?.value }
            set {
                if let newValue {
                    insert(Member(key: key, value: newValue), recordingRepeat: false)
                } else {
                    members.removeAll { $0.key == key }
                }
            }
        }

        /// Adds or overwrites a member (RFC 8941 §4.2.2 step 3.4: overwrite keeps the first position).
        mutating func insert(_ member: consuming Member, recordingRepeat: Bool) {
            if let index = members.firstIndex(where: { $0.key == member.key }) {
                members[index] = member
                if recordingRepeat, !repeatedKeys.contains(member.key) { repeatedKeys.append(member.key) }
            } else {
                members.append(member)
            }
        }
    }
}
