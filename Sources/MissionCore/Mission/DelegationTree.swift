/// The agents, resources and call chains seen under a mission, as a forest of nodes.
/// Observational, not proof ([MG] §delegation_tree).
public struct DelegationTree: Hashable, Sendable {
    /// One authorization and the ones obtained downstream of it.
    public struct Node: Hashable, Sendable {
        public let edge: DelegationEdge
        public let children: [Node]
    }

    /// The mission's owner.
    public let rootAgent: String
    /// Authorizations without an upstream token, each with its chain below it, oldest first.
    public let roots: [Node]
    /// Edges whose upstream `jti` is not among the recorded edges (or that form a cycle):
    /// listed, not dropped, so nothing recorded disappears from view.
    public let unattached: [DelegationEdge]

    /// Builds the tree from edges in any order. Children are sorted by time, then `jti`.
    public static func build(rootAgent: String, edges: [DelegationEdge]) -> DelegationTree {
        var byUpstream: [String: [DelegationEdge]] = [:]
        var seenJTIs = Set<String>()
        var uniqueEdges: [DelegationEdge] = []
        for edge in edges where seenJTIs.insert(edge.jti).inserted { uniqueEdges.append(edge) }
        for edge in uniqueEdges {
            if let upstream = edge.upstreamJTI { byUpstream[upstream, default: []].append(edge) }
        }
        let order: (DelegationEdge, DelegationEdge) -> Bool = { ($0.at, $0.jti) < ($1.at, $1.jti) }
        var placed = Set<String>()
        // Iterative depth-first construction would need a mutable node graph; recursion depth is
        // bounded by the number of edges, which the caller pages.
        func node(for edge: DelegationEdge) -> Node {
            placed.insert(edge.jti)
            let children = (byUpstream[edge.jti] ?? []).filter { !placed.contains($0.jti) }.sorted(by: order)
            return Node(edge: edge, children: children.map { node(for: $0) })
        }
        let roots = uniqueEdges.filter { $0.upstreamJTI == nil }.sorted(by: order).map { node(for: $0) }
        let unattached = uniqueEdges.filter { !placed.contains($0.jti) }.sorted(by: order)
        return DelegationTree(rootAgent: rootAgent, roots: roots, unattached: unattached)
    }
}
