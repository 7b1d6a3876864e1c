extension StructuredField {
    /// A member of a List or the value of a Dictionary member: an Item or an Inner List (RFC 8941 §3.1, §3.2).
    public enum ListMember: Hashable, Sendable {
        /// A single item.
        case item(Item)
        /// A parenthesized inner list.
        case innerList(InnerList)

        /// The item, if this member is one.
        public var item: Item? {
            if case .item(let item) = self { return item }
            return nil
        }

        /// The inner list, if this member is one.
        public var innerList: InnerList? {
            if case .innerList(let list) = self { return list }
            return nil
        }

        /// The parameters of the item or inner list.
        public var parameters: Parameters {
            switch self {
            case .item(let item): item.parameters
            case .innerList(let list): list.parameters
            }
        }
    }
}
