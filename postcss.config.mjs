// Tailwind CSS 4 through PostCSS (Next.js reads this file); no Google fonts: the build is offline.
const config = { plugins: { "@tailwindcss/postcss": {} } };

export default config;
