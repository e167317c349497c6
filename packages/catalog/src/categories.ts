import type { CategoryDef } from "./types.js";

/**
 * The closed list of app categories. Ids are what policies write (`category cloud_storage`);
 * labels are the names Defender for Cloud Apps shows in its catalog where it has a matching
 * category. Categories MDCA does not have under that exact name (gaming, streaming,
 * file_sharing, messaging, other) carry our own label, marked `mdca: false`.
 */
export interface CategoryInfo extends CategoryDef {
  /** True when the label is the one the MDCA catalog uses. */
  readonly mdca: boolean;
  /** One line on what belongs here, for hover and docs. */
  readonly description: string;
}

function c(id: string, label: string, mdca: boolean, description: string): CategoryInfo {
  return { id, label, mdca, description };
}

export const CATEGORIES: readonly CategoryInfo[] = [
  c("advertising", "Advertising", true, "ad networks, ad exchanges and ad platforms"),
  c("analytics", "Web analytics", true, "web and product analytics, tag managers"),
  c("business_management", "Business management", true, "ERP, business suites, e-signature, procurement"),
  c("cloud_computing_platform", "Cloud computing platform", true, "IaaS and PaaS clouds and their consoles"),
  c("cloud_storage", "Cloud storage", true, "file storage and sync services"),
  c("code_hosting", "Code-hosting", true, "source code hosting and package registries"),
  c("collaboration", "Collaboration", true, "team workspaces, wikis, project and work management"),
  c("communications", "Communications", true, "telephony, SMS and communication APIs"),
  c("content_management", "Content management", true, "CMS, website builders, digital asset management"),
  c("crm", "CRM", true, "customer relationship management"),
  c("customer_support", "Customer support", true, "help desks, live chat and customer success"),
  c("data_analytics", "Data analytics", true, "BI, data warehouses and data platforms"),
  c("development_tools", "Development tools", true, "CI/CD, IDEs, APIs, observability and developer services"),
  c("ecommerce", "Ecommerce", true, "online shops, marketplaces and payment checkouts"),
  c("education", "Education", true, "learning platforms, courses and school tools"),
  c("file_sharing", "File sharing", false, "anonymous upload sites, transfer services, torrent indexes"),
  c("finance_and_accounting", "Accounting and finance", true, "accounting, payments, banking and expenses"),
  c("gaming", "Gaming", false, "online games, game stores and game services"),
  c("generative_ai", "Generative AI", true, "chat assistants, image and code generators, model APIs"),
  c("health", "Health", true, "health records, telehealth and fitness"),
  c("hosting_services", "Hosting services", true, "web hosting, CDNs and DNS providers"),
  c("hr_management", "Human resource management", true, "HR, payroll, recruiting and people management"),
  c("it_services", "IT services", true, "identity, device management, remote access and IT operations"),
  c("marketing", "Marketing", true, "email marketing, marketing automation, surveys and social media management"),
  c("messaging", "Personal instant messaging", true, "consumer chat and instant messaging"),
  c("news_and_entertainment", "News and entertainment", true, "news portals, magazines and entertainment sites"),
  c("online_meeting", "Online meeting", true, "video conferencing and webinars"),
  c("other", "Other", false, "anything that fits no other category"),
  c("product_design", "Product design", true, "design, whiteboarding and prototyping tools"),
  c("productivity", "Productivity", true, "office suites, notes, calendars, forms and translation"),
  c("sales", "Sales", true, "sales engagement, sales intelligence and quoting"),
  c("security", "Security", true, "security products, password managers and security portals"),
  c("social_network", "Social network", true, "social networks and community sites"),
  c("streaming", "Media", true, "music, video and media streaming"),
  c("travel", "Transportation and travel", true, "travel booking, expenses on the road, ride hailing"),
  c("vendor_management", "Vendor management systems", true, "vendor, supplier and contingent workforce management"),
  c("webmail", "Webmail", true, "web-based email"),
];

const byId = new Map(CATEGORIES.map((cat) => [cat.id, cat]));

export function categoryById(id: string): CategoryInfo | undefined {
  return byId.get(id);
}
