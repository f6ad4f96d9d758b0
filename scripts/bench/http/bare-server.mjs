// The machine's own floor for cpu.ts's `floor` phase: node:http alone reads the JSON body and answers
// the 400 the app's schema would, with no framework, no API key, no rate limiter and no database.
// It answers /api/health as connected so that cpu.ts starts it like a production build:
//   npx tsx scripts/bench/http/cpu.ts --database cpu_bench --phases floor \
//     --server this=.next/standalone/server.js --server bare=scripts/bench/http/bare-server.mjs
import http from "node:http";

const server = http.createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    if (request.url === "/api/health") {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ status: "ok", database: "connected", redis: "connected" }));
      return;
    }
    let body = null;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {}
    response.writeHead(400, { "content-type": "application/json" });
    response.end(JSON.stringify({ error: "Invalid request body", code: "VALIDATION_ERROR", details: [{ path: ["userId"], received: typeof body?.userId }] }));
  });
});
server.listen(Number(process.env.PORT), process.env.HOSTNAME ?? "127.0.0.1");
process.on("SIGINT", () => server.close(() => process.exit(0)));
