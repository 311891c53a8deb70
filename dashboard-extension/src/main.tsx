import "@saleor/macaw-ui/style";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App, Frame } from "./App";
import { pickLocale } from "./i18n";
import { parseConnectResult, rememberedLocale } from "./consent/connectResult";
import { createHost } from "./lib/host";
import { ConnectResultPage } from "./consent/ConnectResultPage";

const root = createRoot(document.getElementById("root")!);
const params = new URLSearchParams(window.location.search);
const connectResult = parseConnectResult(params);

if (connectResult) {
  // The consent tab coming back from Amazon: no Dashboard, no token.
  const theme = params.get("theme") === "dark" || window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  root.render(
    <StrictMode>
      <Frame theme={theme} locale={pickLocale(params.get("locale"), rememberedLocale(), navigator.languages)}>
        <ConnectResultPage result={connectResult} />
      </Frame>
    </StrictMode>,
  );
} else {
  // Created before React renders, so the Dashboard's handshake (posted on iframe load) is heard.
  const host = createHost(window);
  root.render(
    <StrictMode>
      <App host={host} />
    </StrictMode>,
  );
}
