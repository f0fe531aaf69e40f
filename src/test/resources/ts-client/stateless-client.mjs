// The TypeScript MCP client (@modelcontextprotocol/client 2.x) pinned to 2026-07-28, as a test drives it:
// node stateless-client.mjs <url> <token> -> one JSON line with what it saw, or {"error": ...} and exit code 1.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const [url, token] = process.argv.slice(2);
const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: { headers: { Authorization: `Bearer ${token}` } }
});
const client = new Client({ name: 'ts-stateless-test', version: '1.0.0' },
  { versionNegotiation: { mode: { pin: '2026-07-28' } } });
try {
  await client.connect(transport);
  const tools = await client.listTools();
  const who = await client.callTool({ name: 'whoami', arguments: {} });
  const stats = await client.callTool({ name: 'text-stats', arguments: { text: 'one two two' } });
  console.log(JSON.stringify({
    version: client.getNegotiatedProtocolVersion ? client.getNegotiatedProtocolVersion() : null,
    tools: tools.tools.map((t) => t.name),
    who: who.structuredContent,
    words: stats.structuredContent?.words
  }));
  await client.close();
} catch (e) {
  console.log(JSON.stringify({ error: String(e && e.message ? e.message : e) }));
  process.exit(1);
}
