-- wrk script for the "normal client" of slow_clients.py: each connection waits 1 ms between its
-- requests, so the client measures the server's latency instead of saturating the 2 cores it
-- shares with the server and the attacker (a closed loop without pause keeps one core busy).
function delay()
  return 1
end
