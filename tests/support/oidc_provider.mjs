// A real OpenID provider for the single sign-on tests: node-oidc-provider (OpenID Certified) on a
// loopback port, with one client (the service under test) and one person per role. Its own login
// and consent pages (the library's development interactions) take any password; the login name
// picks the person. Usage: node oidc_provider.mjs PORT REDIRECT_URI POST_LOGOUT_URI
import Provider from "oidc-provider";

const [port, redirectUri, postLogoutUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const PEOPLE = {
  anna: { name: "Anna de Vries", roles: ["desk:ijsselmonde"] },
  henk: { name: "Henk Jansen", roles: ["host:ijsselmonde"] },
  mia: { name: "Mia Bakker", roles: ["manager:ijsselmonde"] },
  root: { name: "Ria Admin", roles: ["admin"] },
  nobody: { name: "Noor Zonderrol", roles: ["visitor"] },
};

const provider = new Provider(issuer, {
  clients: [{
    client_id: "gastvrij",
    client_secret: "gastvrij-test-secret",
    redirect_uris: [redirectUri],
    post_logout_redirect_uris: [postLogoutUri],
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
  }],
  claims: { openid: ["sub"], profile: ["name", "roles"], email: ["email"] },
  conformIdTokenClaims: false, // the scopes' claims go into the ID token itself
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(ctx, id) {
    const person = PEOPLE[id];
    if (!person) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, name: person.name, email: `${id}@rotterdam.nl`, roles: person.roles };
      },
    };
  },
});
provider.listen(Number(port), "127.0.0.1", () => {
  process.stdout.write(`ready ${issuer}\n`);
});
