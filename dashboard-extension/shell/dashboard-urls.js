/*
 * How Saleor Dashboard 3.23 turns its own URL into the app's iframe URL and back, ported line by line
 * so the demo shell cannot pass where the Dashboard fails:
 *   url-join 4.0.1 (the Dashboard's dependency), qs.stringify (src/utils/urls.ts stringifyQs),
 *   src/extensions/urls.ts (resolveAppIframeUrl, resolveAppCompleteUrlFromDashboardUrl, ...),
 *   appActionsHandler.ts (redirect, updateRouting) and AppIFrame.tsx (feature flags, theme).
 * tests/dashboardUrls.test.ts pins each function against the real url-join and qs packages.
 * A classic script (no build): the shell loads it with <script src>, tests import it.
 */
(function (root) {
  "use strict";

  /** url-join 4.0.1, verbatim in behaviour (lib/url-join.js). */
  function normalize(strArray) {
    var resultArray = [];
    if (strArray.length === 0) return "";
    if (typeof strArray[0] !== "string") throw new TypeError("Url must be a string. Received " + strArray[0]);
    // If the first part is a plain protocol, we combine it with the next part.
    if (strArray[0].match(/^[^/:]+:\/*$/) && strArray.length > 1) {
      var first = strArray.shift();
      strArray[0] = first + strArray[0];
    }
    // There must be two or three slashes in the file protocol, two slashes in anything else.
    if (strArray[0].match(/^file:\/\/\//)) strArray[0] = strArray[0].replace(/^([^/:]+):\/*/, "$1:///");
    else strArray[0] = strArray[0].replace(/^([^/:]+):\/*/, "$1://");
    for (var i = 0; i < strArray.length; i++) {
      var component = strArray[i];
      if (typeof component !== "string") throw new TypeError("Url must be a string. Received " + component);
      if (component === "") continue;
      // Removing the starting slashes for each component but the first.
      if (i > 0) component = component.replace(/^[/]+/, "");
      // Removing the ending slashes for each component but the last; the last keeps one.
      if (i < strArray.length - 1) component = component.replace(/[/]+$/, "");
      else component = component.replace(/[/]+$/, "/");
      resultArray.push(component);
    }
    var str = resultArray.join("/");
    // Remove the trailing slash before parameters or hash: `…/app/?x` becomes `…/app?x`.
    str = str.replace(/\/(\?|&|#[^!])/g, "$1");
    // Replace ? in parameters with &.
    var parts = str.split("?");
    str = parts.shift() + (parts.length > 0 ? "?" : "") + parts.join("&");
    return str;
  }

  function urlJoin() {
    var input = typeof arguments[0] === "object" ? arguments[0] : [].slice.call(arguments);
    return normalize(input);
  }

  /** qs.stringify(params, { arrayFormat: "comma" }) for what the Dashboard passes: strings, arrays, nested objects. */
  function stringifyQs(params) {
    var pairs = [];
    function encode(value) {
      // qs's default encoder: RFC 3986 (encodeURIComponent plus ! ' ( ) *).
      return encodeURIComponent(value).replace(/[!'()*]/g, function (c) {
        return "%" + c.charCodeAt(0).toString(16).toUpperCase();
      });
    }
    function add(key, value) {
      if (value === undefined) return;
      if (value === null) {
        pairs.push(encode(key) + "=");
      } else if (Array.isArray(value)) {
        if (value.length) pairs.push(encode(key) + "=" + encode(value.join(",")));
      } else if (typeof value === "object") {
        Object.keys(value).forEach(function (inner) {
          add(key + "[" + inner + "]", value[inner]);
        });
      } else {
        pairs.push(encode(key) + "=" + encode(String(value)));
      }
    }
    Object.keys(params || {}).forEach(function (key) {
      add(key, params[key]);
    });
    return pairs.join("&");
  }

  var EXTENSIONS_APP_SECTION = "/extensions/app";
  var LEGACY_APPS_SECTION = "/apps/";

  /** ExtensionsPaths.resolveViewManifestExtension */
  function viewManifestExtensionPath(appId) {
    return urlJoin(EXTENSIONS_APP_SECTION, appId);
  }

  /** ExtensionsUrls.resolveViewManifestExtensionUrl(id) with no params: `/extensions/app/<id>?` */
  function viewManifestExtensionUrl(appId) {
    return viewManifestExtensionPath(encodeURIComponent(appId)) + "?" + stringifyQs(undefined);
  }

  /**
   * ExtensionsUrls.resolveAppIframeUrl: the iframe's src.
   * `search` is the Dashboard's own window.location.search (passed through to the app).
   */
  function resolveAppIframeUrl(appId, appUrl, params, context) {
    var apiUrl = context.apiUrl;
    var query = { domain: new URL(apiUrl).host, saleorApiUrl: apiUrl, id: appId };
    Object.keys(params || {}).forEach(function (key) {
      query[key] = params[key];
    });
    return urlJoin(appUrl, context.search, "?" + stringifyQs(query));
  }

  /** ExtensionsUrls.resolveAppCompleteUrlFromDashboardUrl: the app URL for a Dashboard deep link. */
  function resolveAppCompleteUrlFromDashboardUrl(dashboardPath, appUrl, appId) {
    var deepSubPath = dashboardPath.replace(viewManifestExtensionPath(encodeURIComponent(appId)), "");
    return urlJoin(appUrl, deepSubPath);
  }

  /** ViewManifestExtensionIframe: the deep sub path, then `?appPath=` appended with a slash. */
  function resolveAppPageUrl(dashboardPath, search, appUrl, appId) {
    var complete = resolveAppCompleteUrlFromDashboardUrl(dashboardPath, appUrl, appId);
    var appPath = new URLSearchParams(search).get("appPath");
    return appPath ? complete + "/" + appPath : complete;
  }

  /** ExtensionsUrls.resolveAppDeepPathFromDashboardUrl: the `redirect` event's path after the handshake. */
  function resolveAppDeepPathFromDashboardUrl(dashboardUrl, appId) {
    return dashboardUrl.replace(viewManifestExtensionUrl(appId), "") || "/";
  }

  /** ExtensionsUrls.isAppDeepUrlChange */
  function isAppDeepUrlChange(appId, from, to) {
    var appCompletePath = viewManifestExtensionUrl(appId).replace("?", "");
    var legacy = urlJoin(LEGACY_APPS_SECTION, appId, "app");
    return (to.indexOf(appCompletePath) === 0 || to.indexOf(legacy) === 0) && (from.indexOf(appCompletePath) === 0 || from.indexOf(legacy) === 0);
  }

  /** The updateRouting action: the Dashboard's new location (pushState, no reload of the frame). */
  function updateRoutingLocation(mountUri, appId, newRoute) {
    return urlJoin(mountUri, viewManifestExtensionUrl(appId).replace("?", ""), newRoute);
  }

  /**
   * The redirect action, as appActionsHandler's useHandleRedirectAction decides:
   * "appDeep" (pushState), "dashboard" (router navigation), "external" (new tab or confirm), or null (refused).
   */
  function classifyRedirect(appId, currentPathname, to, dashboardHost) {
    if (isAppDeepUrlChange(appId, currentPathname, to)) return "appDeep";
    if (to.charAt(0) === "/") return "dashboard";
    try {
      if (new URL(to).host !== dashboardHost) return "external";
    } catch {
      return null;
    }
    return null;
  }

  /** Feature flags of Saleor Dashboard 3.23 (.featureFlags/generated.tsx) with their defaults. */
  var FEATURE_FLAGS_3_23 = { new_order_ui: { enabled: false, payload: "default" } };

  var api = {
    urlJoin: urlJoin,
    stringifyQs: stringifyQs,
    resolveAppIframeUrl: resolveAppIframeUrl,
    resolveAppCompleteUrlFromDashboardUrl: resolveAppCompleteUrlFromDashboardUrl,
    resolveAppPageUrl: resolveAppPageUrl,
    resolveAppDeepPathFromDashboardUrl: resolveAppDeepPathFromDashboardUrl,
    isAppDeepUrlChange: isAppDeepUrlChange,
    updateRoutingLocation: updateRoutingLocation,
    classifyRedirect: classifyRedirect,
    viewManifestExtensionPath: viewManifestExtensionPath,
    FEATURE_FLAGS_3_23: FEATURE_FLAGS_3_23,
  };
  root.SaleorDashboardUrls = api;
})(typeof window !== "undefined" ? window : globalThis);
