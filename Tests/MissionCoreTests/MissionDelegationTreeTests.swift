import Foundation
import Testing
@testable import MissionCore

@Suite struct MissionDelegationTreeTests {
    private func edge(_ jti: String, _ agent: String, upstream: String? = nil, at offset: TimeInterval)
        -> DelegationEdge
    {
        DelegationEdge(
            agent: agent, resource: "https://\(agent).example", jti: jti, upstreamJTI: upstream,
            at: Fixture.approvedAt + offset)
    }

    @Test func buildsChainsFromEdgesInAnyOrder() {
        let edges = [
            edge("c", "r2", upstream: "a", at: 3),
            edge("a", "root", at: 1),
            edge("b", "r1", upstream: "a", at: 2),
            edge("d", "r3", upstream: "b", at: 4),
            edge("e", "root", at: 5),
        ]
        let tree = DelegationTree.build(rootAgent: "root", edges: edges)
        #expect(tree.roots.map(\.edge.jti) == ["a", "e"])
        #expect(tree.roots[0].children.map(\.edge.jti) == ["b", "c"])
        #expect(tree.roots[0].children[0].children.map(\.edge.jti) == ["d"])
        #expect(tree.unattached.isEmpty)
    }

    @Test func orphansAndCyclesAreListedNotDropped() {
        let edges = [
            edge("a", "root", at: 1),
            edge("x", "lost", upstream: "missing", at: 2),
            edge("p", "loop", upstream: "q", at: 3),
            edge("q", "loop", upstream: "p", at: 4),
            edge("s", "self", upstream: "s", at: 5),
            edge("a", "duplicate", at: 6),
        ]
        let tree = DelegationTree.build(rootAgent: "root", edges: edges)
        #expect(tree.roots.map(\.edge.jti) == ["a"])
        #expect(tree.roots[0].edge.agent == "root")
        #expect(tree.unattached.map(\.jti) == ["x", "p", "q", "s"])
    }
}
