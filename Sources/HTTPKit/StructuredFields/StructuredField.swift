/// RFC 8941 Structured Field Values: the data model, a strict parser (§4.2) and a serializer (§4.1).
///
/// ```swift
/// let dictionary = try StructuredField.parseDictionary("sig=(\"@method\");created=1")
/// let text = try StructuredField.serialize(dictionary)
/// ```
public enum StructuredField {
    /// Parses a List field value (RFC 8941 §4.2.1); `fieldValue` is all field lines already joined with ", ".
    public static func parseList(
        _ fieldValue: String, limits: StructuredFieldLimits = .default
    ) throws(StructuredFieldError) -> [ListMember] {
        try StructuredFieldParser.parse(fieldValue, limits: limits) {
            (parser: inout StructuredFieldParser) throws(StructuredFieldError) in try parser.parseTopLevelList()
        }
    }

    /// Parses a Dictionary field value (RFC 8941 §4.2.2), keeping member order and each member's raw text.
    public static func parseDictionary(
        _ fieldValue: String, limits: StructuredFieldLimits = .default
    ) throws(StructuredFieldError) -> Dictionary {
        try StructuredFieldParser.parse(fieldValue, limits: limits) {
            (parser: inout StructuredFieldParser) throws(StructuredFieldError) in try parser.parseTopLevelDictionary()
        }
    }

    /// Parses an Item field value (RFC 8941 §4.2.3).
    public static func parseItem(
        _ fieldValue: String, limits: StructuredFieldLimits = .default
    ) throws(StructuredFieldError) -> Item {
        try StructuredFieldParser.parse(fieldValue, limits: limits) {
            (parser: inout StructuredFieldParser) throws(StructuredFieldError) in try parser.parseTopLevelItem()
        }
    }

    /// Serializes a List (RFC 8941 §4.1.1); an empty list gives "" (the field should then be omitted).
    public static func serialize(_ list: [ListMember]) throws(StructuredFieldError) -> String {
        var output = ""
        try StructuredFieldSerializer.appendList(list, to: &output)
        return output
    }

    /// Serializes a Dictionary (RFC 8941 §4.1.2).
    public static func serialize(_ dictionary: Dictionary) throws(StructuredFieldError) -> String {
        var output = ""
        try StructuredFieldSerializer.appendDictionary(dictionary, to: &output)
        return output
    }

    /// Serializes an Item (RFC 8941 §4.1.3).
    public static func serialize(_ item: Item) throws(StructuredFieldError) -> String {
        var output = ""
        try StructuredFieldSerializer.appendItem(item, to: &output)
        return output
    }

    /// Serializes an Inner List with its parameters (RFC 8941 §4.1.1.1).
    public static func serialize(_ innerList: InnerList) throws(StructuredFieldError) -> String {
        var output = ""
        try StructuredFieldSerializer.appendInnerList(innerList, to: &output)
        return output
    }
}
