/// Left-aligned columns separated by two spaces, for listings people read in a terminal.
struct TextTable: Equatable, Sendable {
    let header: [String]
    var rows: [[String]] = []

    init(_ header: String...) { self.header = header }

    mutating func add(_ row: String...) {
        precondition(row.count == header.count, "a row must have one cell per column")
        rows.append(row)
    }

    /// The header line and one line per row; trailing spaces trimmed.
    var lines: [String] {
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        return ([header] + rows).map { cells in
            var line = ""
            for (column, cell) in cells.enumerated() {
                line +=
                    column == cells.count - 1
                    ? cell : cell.padding(toLength: widths[column] + 2, withPad: " ", startingAt: 0)
            }
            return line
        }
    }
}
