// Runs before video.js loads: its injected <style> tags would break our CSP (style-src 'self').
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
